"""Demo knowledge base (ORDER 80, after the registry and the market): five model
cases in the five demo provinces, with the registry's figures of their latest annual
report and declared ones; the guides "Mở gian hàng trên Chợ HTX Số" and "Đăng ký tài
khoản bằng số điện thoại" (steps matching the real pages of the market and of sign-up),
and three news items.  Idempotent: items are found by title."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from htxso.core.actors import OPERATOR
from htxso.core.demodata import DemoContext
from htxso.core.text import fold
from htxso.registry.models import AnnualReport, Organisation

from . import services
from .models import Article, ModelCase

ORDER = 80

#: province, words the cooperative's name should hold, case
CASES = [
    (
        "66",
        ["ca phe"],
        {
            "title": "Cà phê Đắk Lắk truy xuất từng lô và bán thẳng cho người mua",
            "themes": ["traceability", "ecommerce", "value_chain"],
            "summary": "Hợp tác xã gắn tem truy xuất cho từng lô cà phê nhân, mở gian hàng trên "
            "Chợ HTX Số và ký hợp đồng bao tiêu với một doanh nghiệp rang xay.",
            "what_done": "Ghi nhật ký canh tác trên điện thoại cho 42 hộ thành viên.\n\n"
            "Mỗi lô cà phê nhân có mã QR; người mua quét mã thấy vườn, ngày thu hái "
            "và ngày sơ chế.\n\n"
            "Mở gian hàng cà phê rang xay trên Chợ HTX Số, giao hàng qua bưu điện.",
            "results": "Giá bán cà phê nhân đạt chuẩn cao hơn giá thị trường 8–12%.\n\n"
            "Doanh nghiệp rang xay ký hợp đồng bao tiêu ba năm.",
            "costs": "Khoảng 85 triệu đồng: tem QR, cân điện tử, tập huấn; "
            "60% do chương trình hỗ trợ.",
            "lessons": "Bắt đầu với một nhóm hộ nhỏ, ghi chép đều đặn trước khi gắn tem.\n\n"
            "Người mua trả giá cao hơn khi nhìn thấy nguồn gốc rõ ràng.",
            "contact_name": "Y Bhim Niê",
            "contact_role": "Giám đốc",
            "contact_phone": "0912 660 101",
            "contact_consent": True,
        },
        [("Giá bán so với thị trường", 10, "%"), ("Hộ thành viên ghi nhật ký", 42, "people")],
    ),
    (
        "04",
        ["mien dong", "mien", "thach", "nong nghiep"],
        {
            "title": "Cao Bằng bán miến dong và thạch đen trên mạng",
            "themes": ["ecommerce", "dx"],
            "summary": "Một hợp tác xã vùng cao chụp ảnh sản phẩm bằng điện thoại, mở gian hàng "
            "trực tuyến và nhận thanh toán VietQR.",
            "what_done": "Hai thành viên trẻ được tập huấn chụp ảnh và viết mô tả sản phẩm.\n\n"
            "Gian hàng trên Chợ HTX Số nhận đơn, thanh toán chuyển khoản bằng mã VietQR.",
            "results": "Đơn hàng trực tuyến chiếm gần một phần ba doanh thu sau một năm.",
            "costs": "Dưới 10 triệu đồng: điện thoại có sẵn, tập huấn của Liên minh HTX tỉnh.",
            "lessons": "Ảnh rõ và mô tả ngắn bán hàng tốt hơn lời quảng cáo dài.",
            "contact_name": "Nông Thị Mai",
            "contact_role": "Phó giám đốc",
            "contact_phone": "0912 040 202",
            "contact_consent": False,
        },
        [("Tỉ lệ doanh thu từ đơn trực tuyến", 30, "%")],
    ),
    (
        "19",
        ["che"],
        {
            "title": "Chè Thái Nguyên: từ nương chè đến sản phẩm OCOP 4 sao",
            "themes": ["value_chain", "high_tech"],
            "summary": "Hợp tác xã đầu tư tưới tiết kiệm và máy sao chè, chuẩn hóa quy trình để "
            "đạt OCOP 4 sao.",
            "what_done": "Lắp tưới phun mưa tự động cho 12 ha chè; "
            "máy sao chè điều khiển nhiệt độ.\n\n"
            "Thống nhất quy trình hái một tôm hai lá trong toàn hợp tác xã.",
            "results": "Sản phẩm chè búp đạt OCOP 4 sao; năng suất tăng khoảng 20%.",
            "costs": "Khoảng 1,2 tỉ đồng, vay ưu đãi từ Quỹ hỗ trợ phát triển HTX.",
            "lessons": "Chuẩn hóa quy trình trước, mua máy sau.",
            "contact_name": "Trần Văn Hùng",
            "contact_role": "Giám đốc",
            "contact_phone": "0912 190 303",
            "contact_consent": True,
        },
        [("Diện tích tưới tự động", 12, "ha"), ("Năng suất tăng", 20, "%")],
    ),
    (
        "40",
        ["nong nghiep", "dich vu"],
        {
            "title": "Nghệ An: hợp tác xã dịch vụ nông nghiệp quản lý bằng phần mềm kế toán",
            "themes": ["dx", "finance"],
            "summary": "Chuyển sổ sách giấy sang phần mềm kế toán và hóa đơn điện tử, công khai "
            "tài chính cho thành viên.",
            "what_done": "Dùng phần mềm kế toán trên máy tính và hóa đơn điện tử.\n\n"
            "Báo cáo tài chính hằng quý gửi thành viên qua Zalo.",
            "results": "Báo cáo năm nộp đúng hạn; vay được vốn ngân hàng nhờ sổ sách minh bạch.",
            "costs": "Khoảng 15 triệu đồng mỗi năm cho phần mềm và chữ ký số.",
            "lessons": "Minh bạch tài chính giúp thành viên tin tưởng và góp thêm vốn.",
        },
        [],
    ),
    (
        "01",
        ["rau", "nong nghiep"],
        {
            "title": "Hà Nội: rau an toàn kết hợp du lịch trải nghiệm",
            "themes": ["tourism", "ecommerce"],
            "summary": "Hợp tác xã trồng rau an toàn đón học sinh và khách tham quan, bán rau "
            "đặt trước qua mạng.",
            "what_done": "Mở tour trải nghiệm nửa ngày cho trường học.\n\n"
            "Khách đặt rau theo tuần trên gian hàng trực tuyến.",
            "results": "Mỗi năm đón hơn 3.000 lượt khách.",
            "costs": "Khoảng 200 triệu đồng cải tạo lối đi và nhà đón khách.",
            "lessons": "Kết hợp sản xuất và du lịch giúp có thêm thu nhập ổn định.",
        },
        [("Lượt khách mỗi năm", 3000, "")],
    ),
]

STORE_GUIDE = {
    "kind": "guide",
    "title": "Mở gian hàng trên Chợ HTX Số",
    "summary": "Các bước để hợp tác xã hoặc hộ sản xuất mở gian hàng, đăng sản phẩm và nhận "
    "đơn trên Chợ HTX Số.",
    "body": "Hướng dẫn này dành cho giám đốc hợp tác xã (đã có tài khoản quản lý) và hộ sản "
    "xuất. Chuẩn bị trước: ảnh sản phẩm, giá bán và số tài khoản ngân hàng.",
    "tags": "chợ, bán hàng, thương mại điện tử",
    "policy_links": "/cho/cach-ban-hang/",
}
STORE_STEPS = [
    (
        "Đăng nhập và mở trang Bán hàng",
        "Đăng nhập bằng tài khoản quản lý hợp tác xã, mở trình đơn và chọn "
        '<a href="/cho/ban-hang/">Bán hàng</a>. Hộ sản xuất không thuộc hợp tác xã gửi '
        '<a href="/cho/ho-san-xuat/dang-ky/">yêu cầu mở gian hàng</a> để cán bộ tỉnh xác minh.',
    ),
    (
        "Mở gian hàng",
        'Bấm "Mở gian hàng" (trang '
        '<a href="/cho/ban-hang/mo-gian-hang/">/cho/ban-hang/mo-gian-hang/</a>), '
        "nhập tên gian hàng, tải logo hoặc ảnh, chọn giao hàng hoặc nhận tại chỗ và phí giao hàng.",
    ),
    (
        "Khai báo tài khoản ngân hàng",
        "Chọn ngân hàng, nhập số tài khoản và tên chủ tài khoản đúng như ở ngân hàng: người mua "
        "thanh toán bằng mã VietQR vào tài khoản này.",
    ),
    (
        "Thêm sản phẩm",
        'Trong gian hàng, chọn "Sản phẩm" rồi "Thêm sản phẩm": tên, giá, đơn vị, ảnh rõ nét, '
        "mô tả ngắn. Xem trước rồi gửi duyệt.",
    ),
    (
        "Nhận và xử lý đơn hàng",
        'Đơn mới hiện trong mục "Đơn hàng" của gian hàng. Xác nhận khi nhận được tiền, giao hàng '
        "và đánh dấu đã giao.",
    ),
]
SIGNUP_GUIDE = {
    "kind": "guide",
    "title": "Đăng ký tài khoản bằng số điện thoại",
    "summary": "Tạo tài khoản HTX Số chỉ với số điện thoại di động và một mã gửi qua SMS.",
    "body": "",
    "tags": "tài khoản, điện thoại",
}
SIGNUP_STEPS = [
    ("Mở trang Đăng ký", 'Vào <a href="/dang-ky/">/dang-ky/</a> hoặc bấm "Đăng ký" ở đầu trang.'),
    ("Nhập số điện thoại", "Nhập số di động Việt Nam (ví dụ 0912 345 678) và bấm gửi mã."),
    ("Nhập mã SMS", "Nhập mã 6 chữ số trong tin nhắn. Mã có hiệu lực 5 phút."),
    ("Đặt mật khẩu", "Chọn mật khẩu dài, dễ nhớ với bạn. Từ nay đăng nhập bằng số điện thoại."),
]
NEWS = [
    (
        None,
        "Liên minh HTX Việt Nam phát động chương trình chuyển đổi số hợp tác xã",
        "Chương trình hỗ trợ hợp tác xã đánh giá mức độ chuyển đổi số, lập kế hoạch và "
        "tham gia sàn thương mại điện tử.",
        "chuyển đổi số",
    ),
    (
        "66",
        "Đắk Lắk tập huấn truy xuất nguồn gốc cà phê cho hợp tác xã",
        "Liên minh HTX tỉnh tổ chức lớp tập huấn ghi nhật ký canh tác và gắn tem truy xuất.",
        "truy xuất, cà phê",
    ),
    (
        "04",
        "Cao Bằng: hội chợ sản phẩm OCOP và hợp tác xã",
        "Hơn 40 hợp tác xã giới thiệu sản phẩm; nhiều gian hàng nhận đơn qua Chợ HTX Số.",
        "hội chợ, OCOP",
    ),
]


def _picture(text: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (960, 600), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 920, 560), outline=(255, 255, 255), width=6)
    draw.text((80, 280), fold(text)[:60], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", out.getvalue(), content_type="image/jpeg")


def _pick(province: str, words: list[str]) -> Organisation | None:
    qs = Organisation.objects.filter(province_id=province, kind="cooperative").order_by("pk")
    for word in words:
        found = qs.filter(search_text__contains=word).first()
        if found is not None:
            return found
    return qs.first() or Organisation.objects.filter(province_id=province).order_by("pk").first()


def _seed_cases(ctx: DemoContext) -> int:
    made = 0
    for province, words, data, declared in CASES:
        if ModelCase.objects.filter(title=data["title"]).exists():
            continue
        organisation = _pick(province, words)
        if organisation is None:
            ctx.log(f"knowledge: no cooperative in {province}, case skipped")
            continue
        case = services.case_save(actor=OPERATOR, organisation=organisation, data=data)
        year = (
            AnnualReport.objects.filter(organisation=organisation, status="accepted")
            .order_by("-year")
            .values_list("year", flat=True)
            .first()
        )
        if year:
            services.case_figures_from_registry(actor=OPERATOR, case=case, year=year)
        for label, value, unit in declared:
            services.case_figure_add(
                actor=OPERATOR, case=case, label=label, value=value, unit=unit, year=year
            )
        services.case_photo_add(
            actor=OPERATOR, case=case, file=_picture(data["title"], (46, 110, 70)), caption=""
        )
        services.case_set_status(actor=OPERATOR, case=case, status="published")
        made += 1
    return made


def _seed_guide(head: dict, steps: list[tuple[str, str]], *, images: bool) -> bool:
    if Article.objects.filter(title=head["title"]).exists():
        return False
    article = services.article_save(actor=OPERATOR, data={**head, "province": ""})
    for n, (title, text) in enumerate(steps, start=1):
        image = _picture(f"{n}. {title}", (30, 90, 120)) if images and n <= 2 else None
        services.step_add(actor=OPERATOR, article=article, title=title, text_=text, image=image)
    services.article_set_status(actor=OPERATOR, article=article, status="published")
    return True


def seed(ctx: DemoContext) -> None:
    cases = _seed_cases(ctx)
    guides = int(_seed_guide(STORE_GUIDE, STORE_STEPS, images=True))
    guides += int(_seed_guide(SIGNUP_GUIDE, SIGNUP_STEPS, images=False))
    news = 0
    now = timezone.now()
    for n, (province, title, summary, tags) in enumerate(NEWS):
        if Article.objects.filter(title=title).exists():
            continue
        article = services.article_save(
            actor=OPERATOR,
            data={"kind": "news", "province": province or "", "title": title, "summary": summary,
                  "body": summary, "tags": tags},
        )  # fmt: skip
        services.article_set_status(actor=OPERATOR, article=article, status="published")
        Article.objects.filter(pk=article.pk).update(published_at=now - timedelta(days=3 * (n + 1)))
        news += 1
    ctx.log(f"knowledge: {cases} model cases, {guides} guides, {news} news items")
