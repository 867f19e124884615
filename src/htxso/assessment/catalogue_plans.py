"""The DX action catalogue as data: what a Vietnamese cooperative can do to lift one
dimension, what it costs (VND, 2025 prices of the demo provinces), how many months it
takes, who does it, and what can fund it.

Loaded into ``CatalogueAction`` by ``services_plans.catalogue_load`` (idempotent: by
``code``).  ``dimension`` is the stable ``Dimension.key`` of the questionnaire (EU DMA
dimensions and the cooperative dimensions).  ``funding`` names programme calls and
support policies by a code of ours and a label; pages link them by URL name
(``programs:call_list``, ``support_policies:list`` searched by the label) — the
assessment app never imports those apps.
"""

from __future__ import annotations

#: Funding sources the actions name (kind, code, label in Vietnamese).
YOUTH_DX_CALL = {
    "kind": "call",
    "code": "youth-dx-eu",
    "label": "Dự án thanh niên chuyển đổi số (EU)",
}
DX_LOAN_CALL = {
    "kind": "call",
    "code": "dx-loan-st-fund",
    "label": "Vay vốn chuyển đổi số từ Quỹ phát triển KH&CN tỉnh",
}
SME_DX_POLICY = {
    "kind": "policy",
    "code": "sme-digital",
    "label": "Hỗ trợ chuyển đổi số cho doanh nghiệp nhỏ và vừa, hợp tác xã",
}
COOP_TECH_POLICY = {
    "kind": "policy",
    "code": "coop-technology",
    "label": "Hỗ trợ hợp tác xã ứng dụng khoa học, công nghệ",
}
TRADE_POLICY = {
    "kind": "policy",
    "code": "trade-promotion",
    "label": "Hỗ trợ xúc tiến thương mại, mở rộng thị trường",
}
TRAINING_POLICY = {
    "kind": "policy",
    "code": "coop-training",
    "label": "Hỗ trợ đào tạo, bồi dưỡng nguồn nhân lực hợp tác xã",
}

#: ``code``, ``dimension``, titles, description, ``cost`` (min, max VND), ``months``,
#: ``doer`` (``Doer``), ``funding``.
ACTIONS: list[dict] = [
    {
        "code": "strategy-workshop",
        "dimension": "dma_strategy",
        "title": "Hội thảo xây dựng chiến lược chuyển đổi số của HTX",
        "title_en": "Workshop to build the cooperative's DX strategy",
        "description": "Ban quản trị và nhóm thanh niên thống nhất mục tiêu, ưu tiên và "
        "ngân sách chuyển đổi số 2 năm; Đại hội thành viên thông qua.",
        "description_en": "The board and the youth team agree on two-year DX goals, "
        "priorities and budget; the members' assembly adopts them.",
        "cost": (3_000_000, 10_000_000),
        "months": 2,
        "doer": "manager",
        "funding": [YOUTH_DX_CALL],
    },
    {
        "code": "dx-budget-line",
        "dimension": "dma_strategy",
        "title": "Dành dòng ngân sách chuyển đổi số trong kế hoạch sản xuất kinh doanh",
        "title_en": "A DX budget line in the business plan",
        "description": "Ghi khoản chi chuyển đổi số hằng năm vào phương án sản xuất kinh "
        "doanh và báo cáo tài chính.",
        "description_en": "Put a yearly DX spending line in the business plan and the "
        "financial report.",
        "cost": (0, 2_000_000),
        "months": 1,
        "doer": "manager",
        "funding": [],
    },
    {
        "code": "internet-equipment",
        "dimension": "dma_readiness",
        "title": "Lắp Internet cáp quang và trang bị máy tính, điện thoại cho văn phòng HTX",
        "title_en": "Fibre Internet, a computer and a phone for the cooperative's office",
        "description": "Đường truyền cáp quang, 1–2 máy tính, 1 điện thoại thông minh dùng "
        "chung, máy in.",
        "description_en": "A fibre line, one or two computers, a shared smartphone, a printer.",
        "cost": (15_000_000, 40_000_000),
        "months": 2,
        "doer": "provider",
        "funding": [SME_DX_POLICY, DX_LOAN_CALL],
    },
    {
        "code": "accounting-software",
        "dimension": "dma_readiness",
        "title": "Dùng phần mềm kế toán và hóa đơn điện tử",
        "title_en": "Accounting software and e-invoices",
        "description": "Phần mềm kế toán theo chế độ kế toán HTX, hóa đơn điện tử, chữ ký số.",
        "description_en": "Accounting software for cooperatives, e-invoices, a digital signature.",
        "cost": (5_000_000, 15_000_000),
        "months": 3,
        "doer": "provider",
        "funding": [SME_DX_POLICY],
    },
    {
        "code": "youth-dx-training",
        "dimension": "dma_human",
        "title": "Đào tạo kỹ năng số cho thanh niên và cán bộ HTX",
        "title_en": "Digital skills training for the youths and staff",
        "description": "Khóa 3–5 ngày: công cụ văn phòng, bán hàng trực tuyến, an toàn "
        "thông tin; thanh niên hướng dẫn lại thành viên.",
        "description_en": "A 3–5 day course: office tools, online selling, security; the "
        "youths then coach the members.",
        "cost": (5_000_000, 20_000_000),
        "months": 3,
        "doer": "alliance",
        "funding": [YOUTH_DX_CALL, TRAINING_POLICY],
    },
    {
        "code": "member-coaching",
        "dimension": "dma_human",
        "title": "Thanh niên kèm cặp thành viên lớn tuổi dùng điện thoại thông minh",
        "title_en": "Youths coach older members on smartphones",
        "description": "Buổi hướng dẫn theo nhóm ở thôn: Zalo, thanh toán QR, xem thông báo HTX.",
        "description_en": "Group sessions in the village: Zalo, QR payment, the "
        "cooperative's notices.",
        "cost": (1_000_000, 5_000_000),
        "months": 4,
        "doer": "youth",
        "funding": [YOUTH_DX_CALL],
    },
    {
        "code": "data-cloud-backup",
        "dimension": "dma_data",
        "title": "Lưu trữ sổ sách, hồ sơ HTX trên đám mây có sao lưu",
        "title_en": "Cooperative records on a cloud drive with backups",
        "description": "Số hóa sổ sách, phân quyền truy cập, sao lưu hằng tuần.",
        "description_en": "Digitise the books, set who may open what, back up weekly.",
        "cost": (2_000_000, 8_000_000),
        "months": 2,
        "doer": "youth",
        "funding": [SME_DX_POLICY],
    },
    {
        "code": "data-protection-rules",
        "dimension": "dma_data",
        "title": "Quy chế bảo vệ dữ liệu cá nhân của thành viên",
        "title_en": "Rules to protect members' personal data",
        "description": "Quy chế theo Nghị định 13/2023/NĐ-CP: ai được xem gì, xin đồng ý, "
        "xử lý khi lộ lọt.",
        "description_en": "Rules under Decree 13/2023: who sees what, consent, what to do "
        "on a leak.",
        "cost": (0, 3_000_000),
        "months": 1,
        "doer": "manager",
        "funding": [],
    },
    {
        "code": "farm-sensors",
        "dimension": "dma_automation",
        "title": "Cảm biến và tưới tự động cho vùng sản xuất",
        "title_en": "Sensors and automatic irrigation on the farms",
        "description": "Cảm biến độ ẩm, điều khiển tưới qua điện thoại cho 1–5 ha thí điểm.",
        "description_en": "Moisture sensors and phone-controlled irrigation on a 1–5 ha pilot.",
        "cost": (50_000_000, 200_000_000),
        "months": 6,
        "doer": "provider",
        "funding": [DX_LOAN_CALL, COOP_TECH_POLICY],
    },
    {
        "code": "chatbot-orders",
        "dimension": "dma_automation",
        "title": "Trả lời tự động và nhận đơn qua Zalo OA",
        "title_en": "Automatic answers and orders on a Zalo Official Account",
        "description": "Mẫu trả lời, danh mục sản phẩm và đơn hàng tự động trên Zalo OA.",
        "description_en": "Reply templates, a product list and automatic orders on Zalo OA.",
        "cost": (3_000_000, 12_000_000),
        "months": 2,
        "doer": "youth",
        "funding": [SME_DX_POLICY],
    },
    {
        "code": "paperless-office",
        "dimension": "dma_green",
        "title": "Văn phòng không giấy: văn bản, biên bản điện tử",
        "title_en": "A paperless office: documents and minutes online",
        "description": "Soạn, ký và lưu văn bản điện tử; giảm in ấn và đi lại.",
        "description_en": "Write, sign and keep documents online; less printing and travel.",
        "cost": (2_000_000, 6_000_000),
        "months": 3,
        "doer": "youth",
        "funding": [],
    },
    {
        "code": "energy-monitoring",
        "dimension": "dma_green",
        "title": "Theo dõi điện năng, nước tưới bằng công tơ thông minh",
        "title_en": "Smart meters for electricity and irrigation water",
        "description": "Công tơ thông minh ở kho, xưởng sơ chế; báo cáo tiết kiệm hằng tháng.",
        "description_en": "Smart meters in the store and the packing shed; a monthly "
        "savings report.",
        "cost": (10_000_000, 30_000_000),
        "months": 3,
        "doer": "provider",
        "funding": [COOP_TECH_POLICY],
    },
    {
        "code": "member-portal",
        "dimension": "coop_member_services",
        "title": "Dịch vụ cho thành viên trên điện thoại: đăng ký vật tư, xem công nợ",
        "title_en": "Member services on the phone: order inputs, see balances",
        "description": "Thành viên đặt phân bón, giống, xem công nợ và lịch thu mua qua "
        "HTX Số hoặc Zalo.",
        "description_en": "Members order fertiliser and seed, see balances and the "
        "buying calendar on HTX Số or Zalo.",
        "cost": (2_000_000, 10_000_000),
        "months": 3,
        "doer": "youth",
        "funding": [YOUTH_DX_CALL],
    },
    {
        "code": "qr-payments-members",
        "dimension": "coop_member_services",
        "title": "Chi trả cho thành viên bằng chuyển khoản, mã QR",
        "title_en": "Pay members by bank transfer and QR",
        "description": "Mở tài khoản HTX, chi trả tiền hàng và lợi nhuận qua ngân hàng.",
        "description_en": "A cooperative bank account; pay for produce and surplus by bank.",
        "cost": (0, 3_000_000),
        "months": 2,
        "doer": "manager",
        "funding": [],
    },
    {
        "code": "online-assembly",
        "dimension": "coop_governance",
        "title": "Họp Hội đồng quản trị, Đại hội thành viên trực tuyến kết hợp trực tiếp",
        "title_en": "Board meetings and members' assemblies online and in person",
        "description": "Quy chế họp trực tuyến, biểu quyết điện tử, lưu biên bản.",
        "description_en": "Rules for online meetings, electronic votes, minutes kept.",
        "cost": (2_000_000, 8_000_000),
        "months": 2,
        "doer": "manager",
        "funding": [YOUTH_DX_CALL],
    },
    {
        "code": "public-disclosure",
        "dimension": "coop_governance",
        "title": "Công khai tài chính, nghị quyết cho thành viên trên mạng",
        "title_en": "Finances and resolutions published to members online",
        "description": "Đăng báo cáo tài chính, nghị quyết Đại hội lên trang của HTX trên HTX Số.",
        "description_en": "Post the financial report and the assembly's resolutions on the "
        "cooperative's HTX Số page.",
        "cost": (0, 2_000_000),
        "months": 1,
        "doer": "youth",
        "funding": [],
    },
    {
        "code": "traceability-qr",
        "dimension": "coop_value_chain",
        "title": "Truy xuất nguồn gốc sản phẩm bằng mã QR (TCVN 12850)",
        "title_en": "Product traceability by QR code (TCVN 12850)",
        "description": "Ghi nhật ký sản xuất điện tử, in tem QR cho từng lô hàng.",
        "description_en": "An electronic farm diary and a QR label for each lot.",
        "cost": (5_000_000, 25_000_000),
        "months": 4,
        "doer": "members",
        "funding": [COOP_TECH_POLICY, TRADE_POLICY],
    },
    {
        "code": "buyer-contracts",
        "dimension": "coop_value_chain",
        "title": "Liên kết tiêu thụ với doanh nghiệp qua hợp đồng, đơn hàng điện tử",
        "title_en": "Sales links with companies by electronic contracts and orders",
        "description": "Hợp đồng điện tử, chia sẻ kế hoạch thu hoạch với bên mua.",
        "description_en": "Electronic contracts; harvest plans shared with the buyer.",
        "cost": (2_000_000, 10_000_000),
        "months": 3,
        "doer": "alliance",
        "funding": [TRADE_POLICY],
    },
    {
        "code": "ecommerce-store",
        "dimension": "coop_ecommerce",
        "title": "Mở gian hàng trên sàn thương mại điện tử và chợ HTX Số",
        "title_en": "A store on e-commerce marketplaces and the HTX Số market",
        "description": "Chụp ảnh sản phẩm, viết mô tả, đăng bán, đóng gói và giao hàng.",
        "description_en": "Product photos, descriptions, listing, packing and delivery.",
        "cost": (5_000_000, 20_000_000),
        "months": 3,
        "doer": "youth",
        "funding": [YOUTH_DX_CALL, TRADE_POLICY],
    },
    {
        "code": "livestream-sales",
        "dimension": "coop_ecommerce",
        "title": "Bán hàng qua livestream và mạng xã hội",
        "title_en": "Selling by livestream and social media",
        "description": "Kênh TikTok/Facebook của HTX, lịch phát trực tiếp hằng tuần.",
        "description_en": "The cooperative's TikTok/Facebook channel, a weekly live show.",
        "cost": (3_000_000, 15_000_000),
        "months": 4,
        "doer": "youth",
        "funding": [YOUTH_DX_CALL],
    },
    {
        "code": "member-register-digital",
        "dimension": "coop_member_data",
        "title": "Số hóa sổ đăng ký thành viên, diện tích và sản lượng",
        "title_en": "A digital register of members, their land and output",
        "description": "Nhập danh sách thành viên, vốn góp, diện tích, sản lượng vào HTX Số.",
        "description_en": "Members, contributions, land and output entered in HTX Số.",
        "cost": (1_000_000, 5_000_000),
        "months": 2,
        "doer": "youth",
        "funding": [YOUTH_DX_CALL],
    },
    {
        "code": "farm-gis-mapping",
        "dimension": "coop_member_data",
        "title": "Bản đồ vùng trồng của thành viên (tọa độ, diện tích)",
        "title_en": "A map of the members' plots (coordinates, area)",
        "description": "Đo tọa độ từng thửa bằng điện thoại; cần cho EUDR với cà phê.",
        "description_en": "Each plot located by phone; needed for EUDR with coffee.",
        "cost": (5_000_000, 30_000_000),
        "months": 4,
        "doer": "members",
        "funding": [DX_LOAN_CALL, COOP_TECH_POLICY],
    },
]

#: A DBI pillar's gap is worked on with the actions of the dimension that covers it.
ALIASES: dict[str, str] = {
    "dbi_customer": "coop_ecommerce",
    "dbi_strategy": "dma_strategy",
    "dbi_infrastructure": "dma_readiness",
    "dbi_operations": "dma_automation",
    "dbi_culture": "dma_human",
    "dbi_data": "dma_data",
}

#: The youth network's topics (national threads).
TOPICS: list[dict] = [
    {
        "key": "getting-started",
        "title": "Bắt đầu chuyển đổi số ở HTX",
        "title_en": "Getting started",
    },
    {"key": "ecommerce", "title": "Bán hàng trực tuyến", "title_en": "Selling online"},
    {"key": "traceability", "title": "Truy xuất nguồn gốc", "title_en": "Traceability"},
    {
        "key": "members",
        "title": "Dịch vụ và dữ liệu thành viên",
        "title_en": "Members' services and data",
    },
    {"key": "funding", "title": "Nguồn vốn, chính sách hỗ trợ", "title_en": "Funding and support"},
]
