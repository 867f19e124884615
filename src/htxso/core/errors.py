"""The one shape of a refusal that code, forms and the API can all report."""

from __future__ import annotations


class CodedError(ValueError):
    """A refusal with a stable ``code`` and a translatable ``message``.

    ``params`` fill the message's ``%(name)s`` placeholders; the text is rendered (and
    translated) only when shown, in the language active then.
    """

    def __init__(self, code: str, message, params: dict | None = None) -> None:
        self.code = code
        self.message = message
        self.params = params or {}
        super().__init__(code)

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text
