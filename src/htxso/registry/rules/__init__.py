"""The rule engine that evaluates eligibility criteria over an organisation's registry
facts, shared by the layers above (programme calls, support policies).

* :mod:`.kinds` — the kinds of criterion (``CriterionKind``);
* :mod:`.engine` — one pure function per computed kind, ``evaluate``/``combine``;
* :mod:`.text` — the sentence explaining an outcome, in the active language;
* :mod:`.facts` — the registry facts of many organisations in a few queries;
* :mod:`.batch` — every criterion of a set for many organisations at once;
* :mod:`.forms` — the criterion editor (only the settings of the chosen kind).
"""
