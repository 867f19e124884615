"""Demo support policies: ten national and provincial policies with criteria, in force
and expired, plus a provincial draft.  Legal references are real where the document is
well known (Law on Cooperatives 2023, Decrees 45/2021 and 113/2024, Decisions 1804/2020,
919/2022 and 1968/2021); provincial plans are illustrative and say so.  Idempotent: each
policy has a ``demo_key`` and is created once."""

from __future__ import annotations

import datetime as dt

from django.apps import apps

from htxso.core.actors import OPERATOR
from htxso.core.demodata import DemoContext

from . import services
from .models import PolicyStatus, SupportPolicy

ORDER = 82

D = dt.date

COOPS = {"kind": "org_kind", "label": "Là hợp tác xã hoặc liên hiệp hợp tác xã"}
COOPS["params"] = {"kinds": ["cooperative", "union"]}  # type: ignore[assignment]


def _op(months: int) -> dict:
    return {
        "kind": "operating_months",
        "label": f"Đang hoạt động và thành lập ít nhất {months} tháng",
        "params": {"min_months": months},
    }


POLICIES: list[dict] = [
    {
        "demo_key": "nd45-2021-credit",
        "name": "Cho vay ưu đãi từ Quỹ hỗ trợ phát triển hợp tác xã",
        "name_en": "Preferential loans from the Cooperative Development Support Fund",
        "level": "national",
        "legal_number": "45/2021/NĐ-CP",
        "legal_date": D(2021, 3, 31),
        "legal_title": "Nghị định về thành lập, tổ chức và hoạt động của Quỹ hỗ trợ phát triển "
        "hợp tác xã",
        "benefit": "Vay vốn đầu tư, mở rộng sản xuất kinh doanh với lãi suất ưu đãi, thời hạn "
        "đến 5 năm; ưu tiên dự án ứng dụng công nghệ cao và chuyển đổi số.",
        "eligible_text": "HTX, liên hiệp HTX có phương án sản xuất kinh doanh khả thi, hoạt động "
        "có lãi và không có nợ xấu.",
        "how_to_apply": "Nộp hồ sơ vay (phương án, báo cáo tài chính 2 năm gần nhất) tại Quỹ hỗ "
        "trợ phát triển HTX Trung ương hoặc Quỹ của tỉnh.",
        "contact": "Quỹ hỗ trợ phát triển HTX — Liên minh HTX Việt Nam, 77 Nguyễn Thái Học, Hà Nội",
        "valid_from": D(2021, 5, 20),
        "criteria": [
            COOPS,
            _op(12),
            {
                "kind": "finance",
                "label": "Có lãi trong 2 năm tài chính gần nhất",
                "params": {"field": "profit", "mode": "positive", "years": 2},
            },
        ],
        "status": "published",
    },
    {
        "demo_key": "nd113-2024-training",
        "name": "Hỗ trợ đào tạo, bồi dưỡng nguồn nhân lực hợp tác xã",
        "name_en": "Training support for cooperative staff and members",
        "level": "national",
        "legal_number": "113/2024/NĐ-CP",
        "legal_date": D(2024, 9, 12),
        "legal_title": "Nghị định quy định chi tiết một số điều của Luật Hợp tác xã",
        "benefit": "Hỗ trợ học phí các khóa đào tạo, bồi dưỡng ngắn hạn về quản trị, kế toán, "
        "chuyển đổi số cho thành viên, người lao động của HTX.",
        "eligible_text": "Tổ hợp tác, HTX, liên hiệp HTX đang hoạt động.",
        "how_to_apply": "Đăng ký với Liên minh HTX tỉnh theo kế hoạch đào tạo hằng năm.",
        "contact": "Liên minh HTX tỉnh nơi HTX đăng ký",
        "valid_from": D(2024, 9, 12),
        "criteria": [
            {
                "kind": "org_kind",
                "label": "Là tổ hợp tác, HTX hoặc liên hiệp HTX",
                "params": {"kinds": ["group", "cooperative", "union"]},
            },
            _op(6),
        ],
        "status": "published",
    },
    {
        "demo_key": "qd1968-2021-fairs",
        "name": "Hỗ trợ tham gia hội chợ, triển lãm xúc tiến thương mại",
        "name_en": "Support to exhibit at trade-promotion fairs",
        "level": "national",
        "legal_number": "1968/QĐ-TTg",
        "legal_date": D(2021, 11, 22),
        "legal_title": "Quyết định phê duyệt Chương trình cấp quốc gia về xúc tiến thương mại "
        "giai đoạn 2021–2030",
        "benefit": "Hỗ trợ chi phí thuê gian hàng, vận chuyển sản phẩm khi tham gia hội chợ trong "
        "nước và quốc tế.",
        "eligible_text": "HTX có sản phẩm nông nghiệp, thủ công, dịch vụ và có liên kết tiêu thụ.",
        "how_to_apply": "Đăng ký theo thông báo của đơn vị chủ trì đề án xúc tiến thương mại.",
        "contact": "Cục Xúc tiến thương mại — Bộ Công Thương",
        "valid_from": D(2022, 1, 1),
        "valid_until": D(2030, 12, 31),
        "criteria": [
            {
                "kind": "sector",
                "label": "Hoạt động trong nông nghiệp, thủ công hoặc thương mại dịch vụ",
                "params": {"sectors": ["agriculture", "industry", "trade"]},
            },
            {
                "kind": "value_chain",
                "label": "Có ít nhất một liên kết chuỗi giá trị đang thực hiện",
                "params": {"min_links": 1},
            },
        ],
        "status": "published",
    },
    {
        "demo_key": "nd113-2024-infrastructure",
        "name": "Hỗ trợ đầu tư kết cấu hạ tầng, nhà xưởng, kho bãi cho HTX nông nghiệp",
        "name_en": "Support for infrastructure, workshops and storage of agricultural cooperatives",
        "level": "national",
        "legal_number": "113/2024/NĐ-CP",
        "legal_date": D(2024, 9, 12),
        "legal_title": "Nghị định quy định chi tiết một số điều của Luật Hợp tác xã",
        "benefit": "Ngân sách hỗ trợ một phần chi phí xây dựng nhà kho, sân phơi, xưởng sơ chế, "
        "chế biến phục vụ chung thành viên.",
        "eligible_text": "HTX nông nghiệp xếp loại từ khá trở lên, hoạt động ổn định.",
        "how_to_apply": "Lập dự án, gửi UBND cấp tỉnh qua Sở Nông nghiệp và Môi trường.",
        "contact": "Sở Nông nghiệp và Môi trường của tỉnh",
        "valid_from": D(2024, 9, 12),
        "criteria": [
            {
                "kind": "sector",
                "label": "Hoạt động trong lĩnh vực nông nghiệp",
                "params": {"sectors": ["agriculture"]},
            },
            {
                "kind": "grade",
                "label": "Xếp loại từ khá trở lên",
                "params": {"at_least": "fair"},
            },
            _op(24),
        ],
        "status": "published",
    },
    {
        "demo_key": "qd1804-2020-dx",
        "name": "Hỗ trợ ứng dụng công nghệ, chuyển đổi số và thương mại điện tử cho HTX",
        "name_en": "Support for technology, digital transformation and e-commerce",
        "level": "national",
        "legal_number": "1804/QĐ-TTg",
        "legal_date": D(2020, 11, 13),
        "legal_title": "Quyết định phê duyệt Chương trình hỗ trợ phát triển kinh tế tập thể, "
        "HTX giai đoạn 2021–2025",
        "benefit": "Hỗ trợ chi phí phần mềm quản trị, truy xuất nguồn gốc và đưa sản phẩm lên "
        "sàn thương mại điện tử.",
        "eligible_text": "HTX có trên 40% lao động trẻ, hoạt động có lãi.",
        "how_to_apply": "Đăng ký qua Liên minh HTX tỉnh.",
        "contact": "Liên minh HTX tỉnh",
        "valid_from": D(2021, 1, 1),
        "valid_until": D(2025, 12, 31),
        "criteria": [
            {
                "kind": "youth_share",
                "label": "Có trên 40% lao động dưới 35 tuổi",
                "params": {"threshold": 40.0},
            },
            _op(12),
        ],
        "status": "expired",
    },
    {
        "demo_key": "qd919-2022-ocop",
        "name": "Hỗ trợ phát triển sản phẩm OCOP",
        "name_en": "Support for OCOP products",
        "level": "national",
        "legal_number": "919/QĐ-TTg",
        "legal_date": D(2022, 8, 1),
        "legal_title": "Quyết định phê duyệt Chương trình Mỗi xã một sản phẩm giai đoạn 2021–2025",
        "benefit": "Hỗ trợ thiết kế bao bì, nhãn mác, chứng nhận chất lượng và quảng bá sản phẩm "
        "OCOP.",
        "eligible_text": "HTX có sản phẩm OCOP từ 3 sao còn hiệu lực.",
        "how_to_apply": "Đăng ký với Văn phòng điều phối nông thôn mới cấp tỉnh.",
        "contact": "Văn phòng điều phối nông thôn mới tỉnh",
        "valid_from": D(2022, 8, 1),
        "valid_until": D(2025, 12, 31),
        "criteria": [
            {
                "kind": "ocop",
                "label": "Có sản phẩm OCOP từ 3 sao còn hiệu lực",
                "params": {"min_stars": 3},
            }
        ],
        "status": "expired",
    },
    {
        "demo_key": "na-khcn-dx-loan",
        "name": "Vay vốn Quỹ phát triển KH&CN tỉnh cho dự án chuyển đổi số (minh họa)",
        "name_en": "Provincial S&T Development Fund loans for DX projects (illustrative)",
        "level": "provincial",
        "province_id": "40",
        "legal_number": "Kế hoạch minh họa",
        "legal_title": "Ví dụ minh họa: chính sách cho vay của Quỹ phát triển KH&CN tỉnh",
        "benefit": "Vay không lãi hoặc lãi suất thấp cho dự án chuyển đổi số của HTX, nộp hồ sơ "
        "qua đợt tuyển chọn trên HTX Số.",
        "eligible_text": "HTX đang hoạt động ít nhất 24 tháng, có lãi 2 năm gần nhất.",
        "how_to_apply": "Nộp hồ sơ qua đợt tuyển chọn trên HTX Số.",
        "contact": "Quỹ phát triển KH&CN tỉnh",
        "valid_from": D(2026, 1, 1),
        "valid_until": D(2030, 12, 31),
        "call_title": "Vay vốn chuyển đổi số từ Quỹ phát triển KH&CN tỉnh Nghệ An",
        "criteria": [
            _op(24),
            {
                "kind": "finance",
                "label": "Có lãi 2 năm gần nhất",
                "params": {"field": "profit", "mode": "positive", "years": 2},
            },
        ],
        "status": "published",
    },
    {
        "demo_key": "cb-ecommerce",
        "name": "Hỗ trợ HTX Cao Bằng mở gian hàng trên sàn thương mại điện tử (minh họa)",
        "name_en": "Help for Cao Bằng cooperatives to open e-commerce stores (illustrative)",
        "level": "provincial",
        "province_id": "04",
        "legal_number": "Kế hoạch minh họa",
        "legal_title": "Ví dụ minh họa: kế hoạch chuyển đổi số khu vực kinh tế tập thể tỉnh",
        "benefit": "Chụp ảnh sản phẩm, mở gian hàng và hướng dẫn bán hàng trực tuyến miễn phí; "
        "hỗ trợ phí sàn 6 tháng đầu.",
        "eligible_text": "HTX, tổ hợp tác tại Cao Bằng đang hoạt động, có sản phẩm bán lẻ.",
        "how_to_apply": "Gửi yêu cầu hỗ trợ trên HTX Số hoặc đến Liên minh HTX tỉnh.",
        "contact": "Liên minh HTX tỉnh Cao Bằng — 0206 3852 xxx",
        "valid_from": D(2026, 1, 1),
        "valid_until": D(2030, 6, 30),
        "criteria": [
            _op(6),
            {
                "kind": "declared",
                "label": "Có người phụ trách bán hàng trực tuyến",
                "params": {},
            },
        ],
        "status": "published",
    },
    {
        "demo_key": "dl-coffee-youth",
        "name": "Hỗ trợ HTX cà phê Đắk Lắk thu hút lao động trẻ (minh họa)",
        "name_en": "Support for Đắk Lắk coffee cooperatives employing young people (illustrative)",
        "level": "provincial",
        "province_id": "66",
        "legal_number": "Kế hoạch minh họa",
        "legal_title": "Ví dụ minh họa: đề án phát triển HTX nông nghiệp của tỉnh",
        "benefit": "Hỗ trợ một phần tiền lương 12 tháng cho lao động trẻ có trình độ làm việc "
        "tại HTX.",
        "eligible_text": "HTX nông nghiệp có trên 30% lao động dưới 35 tuổi.",
        "how_to_apply": "Nộp hồ sơ tại Liên minh HTX tỉnh Đắk Lắk.",
        "contact": "Liên minh HTX tỉnh Đắk Lắk",
        "valid_from": D(2026, 1, 1),
        "valid_until": D(2029, 12, 31),
        "criteria": [
            {
                "kind": "sector",
                "label": "HTX nông nghiệp",
                "params": {"sectors": ["agriculture"]},
            },
            {
                "kind": "youth_share",
                "label": "Trên 30% lao động dưới 35 tuổi",
                "params": {"threshold": 30.0},
            },
        ],
        "status": "published",
    },
    {
        "demo_key": "law17-2023-new-coops",
        "name": "Hỗ trợ thành lập mới, tổ chức lại hoạt động hợp tác xã",
        "name_en": "Support for founding and reorganising cooperatives",
        "level": "national",
        "legal_number": "17/2023/QH15",
        "legal_date": D(2023, 6, 20),
        "legal_title": "Luật Hợp tác xã",
        "benefit": "Tư vấn miễn phí về thủ tục thành lập, xây dựng điều lệ, phương án sản xuất "
        "kinh doanh trong 2 năm đầu.",
        "eligible_text": "HTX, tổ hợp tác thành lập chưa quá 36 tháng.",
        "how_to_apply": "Liên hệ Liên minh HTX tỉnh.",
        "contact": "Liên minh HTX tỉnh",
        "valid_from": D(2024, 7, 1),
        "criteria": [
            {
                "kind": "org_kind",
                "label": "Là tổ hợp tác hoặc HTX",
                "params": {"kinds": ["group", "cooperative"]},
            }
        ],
        "status": "published",
    },
    {
        "demo_key": "cb-draft-tourism",
        "name": "Hỗ trợ HTX du lịch cộng đồng Cao Bằng (dự thảo, minh họa)",
        "name_en": "Support for community-tourism cooperatives in Cao Bằng (draft, illustrative)",
        "level": "provincial",
        "province_id": "04",
        "legal_number": "Dự thảo",
        "benefit": "Hỗ trợ xây dựng homestay đạt chuẩn và quảng bá điểm đến.",
        "valid_until": D(2030, 12, 31),
        "criteria": [
            {"kind": "sector", "label": "HTX du lịch", "params": {"sectors": ["tourism"]}},
        ],
        "status": "draft",
    },
]


def _call_id(title: str) -> int | None:
    """The demo programme call of that title (programs is a sibling: looked up by name)."""
    try:
        call = apps.get_model("programs", "Call")
    except LookupError:
        return None
    return call.objects.filter(title=title).values_list("pk", flat=True).first()


def seed(ctx: DemoContext) -> None:
    from htxso.geo.models import Province

    provinces = set(Province.objects.values_list("pk", flat=True))
    created = 0
    for spec in POLICIES:
        if SupportPolicy.objects.filter(demo_key=spec["demo_key"]).exists():
            continue
        if spec.get("province_id") and spec["province_id"] not in provinces:
            continue
        data = {k: v for k, v in spec.items() if k not in ("demo_key", "status", "call_title")}
        if spec.get("call_title"):
            data["call_id"] = _call_id(spec["call_title"])
        policy = services.policy_create(actor=OPERATOR, data=data)
        SupportPolicy.objects.filter(pk=policy.pk).update(demo_key=spec["demo_key"])
        if spec["status"] == PolicyStatus.PUBLISHED:
            services.policy_publish(actor=OPERATOR, policy=policy)
        elif spec["status"] == PolicyStatus.EXPIRED:
            # published once, now past its deadline (publish() refuses a past deadline)
            services.policy_retire(actor=OPERATOR, policy=policy)
        created += 1
    ctx.log(f"support policies: {created} created")
