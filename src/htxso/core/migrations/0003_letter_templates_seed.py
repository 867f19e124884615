"""The three letter templates of programme calls, in Vietnamese.

``call_national``: VCA to the provincial alliances, announcing a call.
``call_province``: a provincial alliance to the cooperatives of its province (the
structure of the Cao Bằng alliance's letter 108/CV-LMHTX of 2 April 2024).
``selection_result``: VCA to the provinces, announcing the selected provinces and
cooperatives.  VCA edits the texts at /van-ban/mau/; this migration only creates the
ones that do not exist yet and its reverse deletes only untouched ones.
"""

from django.db import migrations

PLACEHOLDERS = [
    "call_title",
    "programme",
    "donor",
    "period",
    "deadline",
    "province",
    "audience",
    "criteria",
    "min_eligible",
    "provinces_min",
    "provinces_max",
    "contact",
    "today",
]

TEMPLATES = [
    {
        "code": "call_national",
        "title": "Công văn của Liên minh HTX Việt Nam gửi Liên minh HTX các tỉnh về đợt mời",
        "subject": "lựa chọn hợp tác xã tham gia {{ programme }}",
        "body": (
            "Nhằm hỗ trợ khu vực kinh tế tập thể, hợp tác xã tiếp cận và ứng dụng chuyển đổi "
            "số trong hoạt động sản xuất, kinh doanh, {{ donor }} tài trợ cho Liên minh Hợp "
            "tác xã Việt Nam thực hiện {{ programme }}, thời gian thực hiện {{ period }}.\n\n"
            "Để có cơ sở lựa chọn địa bàn và đơn vị tham gia, Liên minh Hợp tác xã Việt Nam "
            "đề nghị Liên minh Hợp tác xã các tỉnh, thành phố thông báo đến {{ audience }} "
            "trên địa bàn về đợt mời “{{ call_title }}”, cụ thể như sau:\n\n"
            "1. Tiêu chí lựa chọn:\n"
            "{{ criteria }}\n\n"
            "2. Điều kiện lựa chọn địa bàn: tỉnh, thành phố được lựa chọn là địa phương có "
            "tối thiểu {{ min_eligible }} đơn vị đăng ký đáp ứng đủ tiêu chí. Dự án lựa chọn "
            "tối thiểu {{ provinces_min }} và tối đa {{ provinces_max }} tỉnh, thành phố.\n\n"
            "3. Cách thức đăng ký: các đơn vị đăng ký và gửi báo cáo ngắn về tình hình sản "
            "xuất, kinh doanh trên nền tảng HTX Số. Liên minh Hợp tác xã tỉnh, thành phố rà "
            "soát, xác nhận và gửi danh sách tổng hợp về Liên minh Hợp tác xã Việt Nam trước "
            "ngày {{ deadline }}.\n\n"
            "Thông tin chi tiết xin liên hệ: {{ contact }}.\n\n"
            "Liên minh Hợp tác xã Việt Nam đề nghị Liên minh Hợp tác xã các tỉnh, thành phố "
            "quan tâm, phối hợp thực hiện./."
        ),
        "receivers": (
            "- Như trên;\n"
            "- Chủ tịch (để báo cáo);\n"
            "- Các ban, đơn vị thuộc cơ quan Liên minh HTX Việt Nam;\n"
            "- Lưu: VT, HTQT."
        ),
        "signer_authority": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
    },
    {
        "code": "call_province",
        "title": "Công văn của Liên minh HTX tỉnh gửi các hợp tác xã trên địa bàn",
        "subject": "tham gia {{ programme }}",
        "body": (
            "Thực hiện đề nghị của Liên minh Hợp tác xã Việt Nam về việc lựa chọn đơn vị tham "
            "gia {{ programme }}, Liên minh Hợp tác xã {{ province }} thông tin đến "
            "{{ audience }} trên địa bàn nội dung như sau:\n\n"
            "{{ programme }} do {{ donor }} tài trợ, thời gian thực hiện {{ period }}, nhằm "
            "hỗ trợ các hợp tác xã nâng cao năng lực, đổi mới cách thức tổ chức sản xuất, "
            "kinh doanh và ứng dụng chuyển đổi số.\n\n"
            "Tiêu chí tham gia cụ thể như sau:\n"
            "{{ criteria }}\n\n"
            "(Tỉnh được lựa chọn là tỉnh có tối thiểu {{ min_eligible }} đăng ký tham gia "
            "đáp ứng đủ tiêu chí.)\n\n"
            "Để có cơ sở lựa chọn địa bàn và đơn vị tham gia, Liên minh Hợp tác xã "
            "{{ province }} đề nghị Ban lãnh đạo các hợp tác xã rà soát điều kiện của đơn vị. "
            "Nếu đáp ứng đủ các tiêu chí và có nhu cầu tham gia, đề nghị đăng ký trên nền "
            "tảng HTX Số, kèm báo cáo ngắn về tình hình sản xuất, kinh doanh, trước ngày "
            "{{ deadline }} để Liên minh Hợp tác xã tỉnh tổng hợp, báo cáo Liên minh Hợp tác "
            "xã Việt Nam.\n\n"
            "Liên minh Hợp tác xã {{ province }} rất mong nhận được sự quan tâm, phối hợp "
            "của các hợp tác xã trên địa bàn./.\n\n"
            "Thông tin liên hệ: {{ contact }}."
        ),
        "receivers": (
            "- Như trên;\n"
            "- Liên minh HTX Việt Nam (để báo cáo);\n"
            "- Trang thông tin điện tử Liên minh HTX tỉnh (để đăng tải);\n"
            "- Các phòng thuộc Liên minh HTX tỉnh;\n"
            "- Lưu: VT."
        ),
        "signer_authority": "TM. THƯỜNG TRỰC LIÊN MINH HTX",
        "signer_title": "CHỦ TỊCH",
    },
    {
        "code": "selection_result",
        "title": "Công văn của Liên minh HTX Việt Nam thông báo kết quả lựa chọn",
        "subject": "thông báo kết quả lựa chọn địa bàn và đơn vị tham gia {{ programme }}",
        "body": (
            "Liên minh Hợp tác xã Việt Nam đã rà soát hồ sơ đăng ký tham gia {{ programme }} "
            "do Liên minh Hợp tác xã các tỉnh, thành phố tổng hợp, gửi về theo đợt mời "
            "“{{ call_title }}”, căn cứ các tiêu chí sau:\n"
            "{{ criteria }}\n\n"
            "Theo quy định của dự án, tỉnh, thành phố đủ điều kiện là địa phương có tối thiểu "
            "{{ min_eligible }} đơn vị đáp ứng đủ tiêu chí; dự án lựa chọn từ "
            "{{ provinces_min }} đến {{ provinces_max }} tỉnh, thành phố.\n\n"
            "Liên minh Hợp tác xã Việt Nam thông báo danh sách các tỉnh, thành phố và đơn vị "
            "được lựa chọn tại Phụ lục kèm theo Công văn này; kết quả cũng được cập nhật trên "
            "nền tảng HTX Số để các đơn vị tra cứu.\n\n"
            "Đề nghị Liên minh Hợp tác xã các tỉnh, thành phố có tên trong danh sách thông "
            "báo kết quả đến các đơn vị trên địa bàn và phối hợp triển khai các hoạt động "
            "của dự án trong thời gian {{ period }}.\n\n"
            "Thông tin chi tiết xin liên hệ: {{ contact }}./."
        ),
        "receivers": (
            "- Như trên;\n- {{ donor }} (để biết);\n- Chủ tịch (để báo cáo);\n- Lưu: VT, HTQT."
        ),
        "signer_authority": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH",
    },
]


def seed_letter_templates(apps, schema_editor):
    LetterTemplate = apps.get_model("core", "LetterTemplate")
    for data in TEMPLATES:
        values = {k: v for k, v in data.items() if k != "code"}
        LetterTemplate.objects.get_or_create(
            code=data["code"],
            defaults={**values, "signer_name": "", "allowed_placeholders": list(PLACEHOLDERS)},
        )


def unseed_letter_templates(apps, schema_editor):
    LetterTemplate = apps.get_model("core", "LetterTemplate")
    LetterTemplate.objects.filter(
        code__in=[t["code"] for t in TEMPLATES], updated_by__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_letter_template")]

    operations = [migrations.RunPython(seed_letter_templates, unseed_letter_templates)]
