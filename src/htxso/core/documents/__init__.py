"""Reusable documents service: official letters (.docx) and workbooks (.xlsx).

* :mod:`.letters` — ``OfficialLetter`` and ``render_letter_docx`` in the layout of
  Decree 30/2020/NĐ-CP (Appendix I); ``letter_from_template`` fills a ``LetterTemplate``.
* :mod:`.templating` — ``{{ placeholder }}`` filling for text edited by people (never the
  Django template engine); ``TemplateTextError`` with a stable ``code``.
* :mod:`.placeholders` — the placeholders of programme letters, their meaning and
  sample values; ``province_phrase`` ("tỉnh Cao Bằng"), ``short_date`` ("04/4/2024").
* :mod:`.workbooks` — ``Column``/``Sheet``/``build_workbook`` (typed columns, frozen
  header, autofilter, Vietnamese formats, formula-injection guard).
* :mod:`.responses` — ``download_response`` (attachment with a Vietnamese file name).
* :mod:`.services` — ``letter_template_update`` (VCA; validated, audited).

Example (a training report later)::

    from htxso.core.documents.letters import OfficialLetter, render_letter_docx
    letter = OfficialLetter(
        parent_body="", issuing_body="Liên minh HTX tỉnh Cao Bằng", number="",
        symbol="BC-LMHTX", place="Cao Bằng", date=today, subject="kết quả tập huấn",
        recipients=["Liên minh HTX Việt Nam"], body=paragraphs,
        receivers=["- Như trên;", "- Lưu: VT."], signer_authority="TM. BAN THƯỜNG VỤ",
        signer_title="CHỦ TỊCH", signer_name="",
    )
    data = render_letter_docx(letter)
    return download_response(data, "Báo cáo tập huấn.docx")
"""
