"""Knowledge base: model cases to replicate, news and step-by-step guides."""
