"""Version 1 of the cooperative DX questionnaire, as data (the source of the .xlsx).

Six EU DMA dimensions (5 questions each) and five cooperative dimensions (6 questions
each): 60 questions.  Each question also counts in one DBI pillar (``also``), so one
answer gives the EU DMA, the DBI and the cooperative scores.  Option scores (0–100),
weights, the number that scores 100 and the level bands (DBI levels 0–5) are the
scoring rules.  ``build.py`` writes this into the XLSForm shipped with the package;
the import service reads the XLSForm, never this module.
"""

from __future__ import annotations

from typing import Any

CODE = "htx-dx"
VERSION = 1

# --- option scales (value, Vietnamese, English, score) ------------------------------
ADOPT = [
    ("none", "Chưa có", "Not yet", 0),
    ("plan", "Đang tìm hiểu, dự định làm", "Planned or being looked into", 25),
    ("partly", "Có, dùng một phần", "Partly in place", 60),
    ("full", "Có, đầy đủ và dùng thường xuyên", "Fully in place and used regularly", 100),
]
FREQ = [
    ("never", "Không bao giờ", "Never", 0),
    ("rarely", "Thỉnh thoảng", "Sometimes", 35),
    ("often", "Thường xuyên", "Often", 70),
    ("always", "Luôn luôn", "Always", 100),
]
SHARE = [
    ("none", "Không ai", "Nobody", 0),
    ("few", "Dưới 25%", "Under 25%", 25),
    ("half", "Từ 25% đến 50%", "25% to 50%", 50),
    ("most", "Từ 50% đến 75%", "50% to 75%", 75),
    ("all", "Trên 75%", "Over 75%", 100),
]
YES_NO = [("no", "Không", "No", 0), ("yes", "Có", "Yes", 100)]

DIMENSIONS: list[dict[str, Any]] = [
    # EU Digital Maturity Assessment (EDIH)
    {
        "key": "dma_strategy",
        "family": "eu_dma",
        "name": "Chiến lược kinh doanh số",
        "name_en": "Digital business strategy",
        "description": "Kế hoạch, ngân sách và người phụ trách chuyển đổi số.",
        "description_en": "Plan, budget and people in charge of digital transformation.",
    },
    {
        "key": "dma_readiness",
        "family": "eu_dma",
        "name": "Mức sẵn sàng số",
        "name_en": "Digital readiness",
        "description": "Internet, thiết bị và phần mềm HTX đang dùng.",
        "description_en": "Internet, devices and software in use.",
    },
    {
        "key": "dma_human",
        "family": "eu_dma",
        "name": "Số hóa lấy con người làm trung tâm",
        "name_en": "Human-centric digitalisation",
        "description": "Kỹ năng số, tập huấn, sự tham gia của thành viên và an toàn thông tin.",
        "description_en": "Digital skills, training, members' say and information security.",
    },
    {
        "key": "dma_data",
        "family": "eu_dma",
        "name": "Quản lý và kết nối dữ liệu",
        "name_en": "Data management and connectedness",
        "description": "Sổ sách điện tử, sao lưu, dùng và chia sẻ dữ liệu.",
        "description_en": "Electronic records, backups, using and sharing data.",
    },
    {
        "key": "dma_automation",
        "family": "eu_dma",
        "name": "Tự động hóa và trí tuệ nhân tạo",
        "name_en": "Automation and artificial intelligence",
        "description": "Máy móc, cảm biến và phần mềm làm việc tự động.",
        "description_en": "Machines, sensors and software that work automatically.",
    },
    {
        "key": "dma_green",
        "family": "eu_dma",
        "name": "Số hóa xanh",
        "name_en": "Green digitalisation",
        "description": "Dùng công cụ số để tiết kiệm tài nguyên và sản xuất bền vững.",
        "description_en": "Digital tools that save resources and support sustainable production.",
    },
    # the cooperative dimensions (neither EU DMA nor DBI has them)
    {
        "key": "coop_member_services",
        "family": "coop",
        "name": "Dịch vụ trực tuyến cho thành viên",
        "name_en": "Online services to members",
        "description": "Thành viên liên lạc, đăng ký dịch vụ, xem và nhận tiền qua mạng.",
        "description_en": "Members keep in touch, order services, check and get paid online.",
    },
    {
        "key": "coop_governance",
        "family": "coop",
        "name": "Quản trị điện tử và đại hội trực tuyến",
        "name_en": "E-governance and online assemblies",
        "description": "Sổ thành viên, đại hội, biểu quyết và công khai thông tin trên mạng.",
        "description_en": "Member register, assemblies, votes and disclosure online.",
    },
    {
        "key": "coop_value_chain",
        "family": "coop",
        "name": "Liên kết chuỗi giá trị và truy xuất nguồn gốc",
        "name_en": "Value-chain links and traceability",
        "description": "Hợp đồng liên kết, nhật ký sản xuất, mã số và truy xuất nguồn gốc.",
        "description_en": "Linkage contracts, farm diaries, codes and traceability.",
    },
    {
        "key": "coop_ecommerce",
        "family": "coop",
        "name": "Thương mại điện tử và thanh toán",
        "name_en": "E-commerce and payments",
        "description": "Bán hàng trên mạng, thanh toán không dùng tiền mặt và giao hàng.",
        "description_en": "Selling online, cashless payments and delivery.",
    },
    {
        "key": "coop_member_data",
        "family": "coop",
        "name": "Dữ liệu về thành viên",
        "name_en": "Data on members",
        "description": "Dữ liệu vốn góp, đất đai, sản lượng của thành viên và cách bảo vệ.",
        "description_en": "Members' capital, land and output data, and how it is protected.",
    },
    # Vietnam's DBI pillars: scored from the questions above (``also``)
    {
        "key": "dbi_customer",
        "family": "dbi",
        "name": "Trải nghiệm khách hàng",
        "name_en": "Customer experience",
        "description": "Trụ cột DBI, tính từ các câu hỏi về thành viên, khách hàng và bán hàng.",
        "description_en": "DBI pillar, from the questions on members, customers and sales.",
    },
    {
        "key": "dbi_strategy",
        "family": "dbi",
        "name": "Chiến lược",
        "name_en": "Strategy",
        "description": "Trụ cột DBI, tính từ các câu hỏi về chiến lược.",
        "description_en": "DBI pillar, from the strategy questions.",
    },
    {
        "key": "dbi_infrastructure",
        "family": "dbi",
        "name": "Hạ tầng và công nghệ số",
        "name_en": "Digital infrastructure and technology",
        "description": "Trụ cột DBI, tính từ các câu hỏi về Internet, thiết bị, chữ ký số.",
        "description_en": "DBI pillar, from the questions on internet, devices, signatures.",
    },
    {
        "key": "dbi_operations",
        "family": "dbi",
        "name": "Vận hành",
        "name_en": "Operations",
        "description": "Trụ cột DBI, tính từ các câu hỏi về sản xuất, quản trị và chuỗi.",
        "description_en": "DBI pillar, from the questions on production, governance, chains.",
    },
    {
        "key": "dbi_culture",
        "family": "dbi",
        "name": "Chuyển đổi văn hóa",
        "name_en": "Digital culture",
        "description": "Trụ cột DBI, tính từ các câu hỏi về con người và kỹ năng.",
        "description_en": "DBI pillar, from the questions on people and skills.",
    },
    {
        "key": "dbi_data",
        "family": "dbi",
        "name": "Dữ liệu và tài sản thông tin",
        "name_en": "Data and information assets",
        "description": "Trụ cột DBI, tính từ các câu hỏi về dữ liệu.",
        "description_en": "DBI pillar, from the data questions.",
    },
]

#: DBI levels (Decision 1970/QĐ-BTTTT): a score from ``min_score`` up is that level
LEVELS = [
    (0, 0, "Chưa khởi động", "Not started"),
    (1, 10, "Khởi động", "Starting"),
    (2, 30, "Bắt đầu", "Beginning"),
    (3, 50, "Hình thành", "Forming"),
    (4, 70, "Nâng cao", "Advanced"),
    (5, 85, "Dẫn dắt", "Leading"),
]

#: the DBI pillar a question counts in unless it says otherwise
DEFAULT_PILLAR = {
    "dma_strategy": "dbi_strategy",
    "dma_readiness": "dbi_infrastructure",
    "dma_human": "dbi_culture",
    "dma_data": "dbi_data",
    "dma_automation": "dbi_operations",
    "dma_green": "dbi_operations",
    "coop_member_services": "dbi_customer",
    "coop_governance": "dbi_operations",
    "coop_value_chain": "dbi_operations",
    "coop_ecommerce": "dbi_customer",
    "coop_member_data": "dbi_data",
}


def _q(dim, qid, kind, text, text_en, options=None, *, evidence=False, also=None, **extra):
    return {
        "dimension": dim,
        "qid": qid,
        "kind": kind,
        "text": text,
        "text_en": text_en,
        "options": list(options or []),
        "needs_evidence": evidence,
        "also": [also or DEFAULT_PILLAR[dim]],
        **extra,
    }


def _num(dim, qid, text, text_en, *, lo, hi, full, evidence=False, also=None, **extra):
    return _q(
        dim,
        qid,
        "number",
        text,
        text_en,
        evidence=evidence,
        also=also,
        number_min=lo,
        number_max=hi,
        number_full=full,
        **extra,
    )


QUESTIONS: list[dict[str, Any]] = [
    # --- Digital business strategy --------------------------------------------------
    _q(
        "dma_strategy",
        "strategy_plan",
        "single",
        "HTX có kế hoạch chuyển đổi số bằng văn bản không?",
        "Does the cooperative have a written digital transformation plan?",
        ADOPT,
        evidence=True,
        help="Ví dụ: nghị quyết, kế hoạch năm có mục chuyển đổi số.",
        help_en="For example a resolution or a yearly plan with a digital part.",
    ),
    _q(
        "dma_strategy",
        "strategy_budget",
        "single",
        "Mỗi năm HTX dành bao nhiêu cho chuyển đổi số?",
        "How much does the cooperative spend on digital transformation each year?",
        [
            ("none", "Không dành khoản nào", "Nothing set aside", 0),
            ("small", "Dưới 1% doanh thu", "Under 1% of turnover", 40),
            ("mid", "Từ 1% đến 3% doanh thu", "1% to 3% of turnover", 75),
            ("high", "Trên 3% doanh thu", "Over 3% of turnover", 100),
        ],
    ),
    _q(
        "dma_strategy",
        "strategy_board",
        "yes_no",
        "Trong năm qua, Hội đồng quản trị có bàn và thông qua mục tiêu chuyển đổi số không?",
        "In the past year, did the board discuss and approve digital goals?",
        YES_NO,
        evidence=True,
        help="Biên bản họp có ghi nội dung này.",
        help_en="Minutes of the meeting that record it.",
    ),
    _q(
        "dma_strategy",
        "strategy_lead",
        "yes_no",
        "HTX có người phụ trách chuyển đổi số (cán bộ hoặc thành viên trẻ) không?",
        "Does someone (a manager or a young member) lead digital work in the cooperative?",
        YES_NO,
        also="dbi_culture",
    ),
    _q(
        "dma_strategy",
        "strategy_support",
        "multi",
        "HTX đã tìm hiểu hoặc nhận hỗ trợ nào cho chuyển đổi số?",
        "What support for digital transformation has the cooperative looked for or received?",
        [
            (
                "program",
                "Chương trình của tỉnh hoặc Liên minh HTX",
                "A programme of the province or the Cooperative Alliance",
                35,
            ),
            ("loan", "Vay vốn ưu đãi cho dự án số", "A soft loan for a digital project", 35),
            ("partner", "Doanh nghiệp hoặc tổ chức đối tác", "A company or partner body", 30),
            ("none", "Chưa tìm hiểu", "None yet", 0),
        ],
    ),
    # --- Digital readiness ----------------------------------------------------------
    _q(
        "dma_readiness",
        "ready_internet",
        "single",
        "Trụ sở hoặc cơ sở sản xuất của HTX có Internet ổn định không?",
        "Does the cooperative's office or production site have a stable internet connection?",
        [
            ("none", "Không có Internet", "No internet", 0),
            ("mobile", "Chỉ dùng 3G/4G trên điện thoại", "Only 3G/4G on phones", 40),
            ("unstable", "Có cáp quang/wifi nhưng hay chập chờn", "Fibre/wifi, often down", 70),
            ("stable", "Có cáp quang/wifi ổn định", "Stable fibre/wifi", 100),
        ],
    ),
    _q(
        "dma_readiness",
        "ready_devices",
        "single",
        "HTX có máy tính dùng cho công việc không?",
        "Does the cooperative have computers for its work?",
        [
            ("none", "Không có", "None", 0),
            ("personal", "Chỉ dùng máy cá nhân của cán bộ", "Only staff's own devices", 30),
            ("one", "Có 1 máy của HTX", "One cooperative computer", 65),
            ("several", "Có từ 2 máy trở lên", "Two or more", 100),
        ],
    ),
    _q(
        "dma_readiness",
        "ready_accounting",
        "single",
        "HTX có dùng phần mềm kế toán không?",
        "Does the cooperative use accounting software?",
        ADOPT,
        evidence=True,
        also="dbi_operations",
    ),
    _q(
        "dma_readiness",
        "ready_einvoice",
        "yes_no",
        "HTX có dùng hóa đơn điện tử không?",
        "Does the cooperative issue electronic invoices?",
        YES_NO,
        evidence=True,
        also="dbi_operations",
    ),
    _q(
        "dma_readiness",
        "ready_tools",
        "multi",
        "HTX đang dùng những công cụ số nào hằng ngày?",
        "Which digital tools does the cooperative use every day?",
        [
            ("email", "Thư điện tử", "E-mail", 20),
            ("cloud", "Lưu trữ đám mây (Google Drive…)", "Cloud storage (Google Drive…)", 25),
            ("office", "Bảng tính, soạn thảo văn bản", "Spreadsheets, word processing", 20),
            ("chat", "Nhóm Zalo công việc", "Work chat groups (Zalo)", 15),
            ("signature", "Chữ ký số", "Digital signature", 20),
            ("none", "Chưa dùng công cụ nào", "None yet", 0),
        ],
    ),
    # --- Human-centric digitalisation -----------------------------------------------
    _q(
        "dma_human",
        "human_skills",
        "single",
        "Bao nhiêu cán bộ quản lý biết dùng máy tính và điện thoại thông minh cho công việc?",
        "How many managers can use computers and smartphones for their work?",
        SHARE,
    ),
    _num(
        "dma_human",
        "human_training",
        "Năm qua, cán bộ và thành viên HTX đã dự bao nhiêu lượt tập huấn về kỹ năng số?",
        "In the past year, how many times did staff and members attend digital-skills training?",
        lo=0,
        hi=10000,
        full=20,
        evidence=True,
        help="Đếm mỗi người mỗi khóa là một lượt. Minh chứng: danh sách hoặc giấy chứng nhận.",
        help_en="Each person at each course counts once. Evidence: a list or certificates.",
    ),
    _q(
        "dma_human",
        "human_youth",
        "yes_no",
        "HTX có thành viên hoặc lao động trẻ (dưới 35 tuổi) làm công việc số không?",
        "Do young members or workers (under 35) do digital work for the cooperative?",
        YES_NO,
    ),
    _q(
        "dma_human",
        "human_consult",
        "single",
        "Khi chọn công cụ số mới, HTX có hỏi ý kiến thành viên và người lao động không?",
        "When choosing a new digital tool, does the cooperative ask members and workers?",
        FREQ,
    ),
    _q(
        "dma_human",
        "human_security",
        "single",
        "HTX có quy định về mật khẩu, sao lưu và an toàn thông tin không?",
        "Does the cooperative have rules on passwords, backups and information security?",
        ADOPT,
        evidence=True,
        also="dbi_infrastructure",
    ),
    # --- Data management ------------------------------------------------------------
    _q(
        "dma_data",
        "data_digital",
        "single",
        "Sổ sách chính của HTX (thu chi, kho, bán hàng) được lưu ở dạng nào?",
        "How are the cooperative's main books (cash, stock, sales) kept?",
        [
            ("paper", "Chỉ trên giấy", "On paper only", 0),
            ("mixed", "Giấy và một phần trên máy", "Paper and partly on computer", 40),
            ("sheets", "Bảng tính trên máy", "Spreadsheets", 70),
            ("software", "Phần mềm quản lý", "Management software", 100),
        ],
    ),
    _q(
        "dma_data",
        "data_backup",
        "single",
        "Dữ liệu của HTX được sao lưu thế nào?",
        "How is the cooperative's data backed up?",
        [
            ("none", "Không sao lưu", "No backup", 0),
            ("sometimes", "Thỉnh thoảng, làm bằng tay", "Now and then, by hand", 40),
            ("regular", "Định kỳ, làm bằng tay", "Regularly, by hand", 70),
            (
                "automatic",
                "Tự động (đám mây hoặc phần mềm)",
                "Automatically (cloud or software)",
                100,
            ),
        ],
    ),
    _q(
        "dma_data",
        "data_use",
        "single",
        "HTX có dùng số liệu (doanh thu, chi phí, sản lượng) để ra quyết định không?",
        "Does the cooperative use figures (turnover, costs, output) to make decisions?",
        FREQ,
    ),
    _q(
        "dma_data",
        "data_share",
        "yes_no",
        "HTX có gửi dữ liệu điện tử cho đối tác hoặc cơ quan nhà nước (ví dụ báo cáo trực tuyến)?",
        "Does the cooperative send electronic data to partners or authorities "
        "(e.g. online reports)?",
        YES_NO,
    ),
    _q(
        "dma_data",
        "data_consent",
        "yes_no",
        "HTX có xin đồng ý của thành viên khi thu thập và dùng dữ liệu cá nhân của họ không?",
        "Does the cooperative ask members' consent before collecting and using their "
        "personal data?",
        YES_NO,
        evidence=True,
    ),
    # --- Automation and AI ----------------------------------------------------------
    _q(
        "dma_automation",
        "auto_sensors",
        "single",
        "HTX có dùng thiết bị tự động hoặc cảm biến trong sản xuất "
        "(tưới tự động, cảm biến nhiệt độ, độ ẩm…) không?",
        "Does the cooperative use automatic devices or sensors in production "
        "(automatic irrigation, temperature or humidity sensors…)?",
        ADOPT,
        evidence=True,
    ),
    _q(
        "dma_automation",
        "auto_processes",
        "multi",
        "Những việc nào của HTX được phần mềm làm tự động?",
        "Which tasks does software do automatically for the cooperative?",
        [
            ("accounts", "Tính lương, sổ kế toán", "Payroll, bookkeeping", 25),
            ("stock", "Theo dõi kho", "Stock keeping", 25),
            ("orders", "Nhận và xử lý đơn hàng", "Taking and handling orders", 25),
            ("reminders", "Nhắc lịch, gửi tin nhắn tự động", "Reminders, automatic messages", 25),
            ("none", "Chưa có việc nào", "None yet", 0),
        ],
    ),
    _q(
        "dma_automation",
        "auto_ai",
        "single",
        "HTX có dùng công cụ trí tuệ nhân tạo (hỏi đáp, nhận diện sâu bệnh, dịch, soạn văn bản…)?",
        "Does the cooperative use artificial intelligence (chat assistants, pest recognition, "
        "translation, drafting…)?",
        [
            ("never", "Chưa dùng", "Not yet", 0),
            ("tried", "Đã dùng thử", "Tried it", 35),
            ("sometimes", "Thỉnh thoảng dùng cho công việc", "Sometimes for work", 70),
            ("regular", "Dùng thường xuyên", "Regularly", 100),
        ],
    ),
    _q(
        "dma_automation",
        "auto_machinery",
        "yes_no",
        "HTX có dùng máy móc điều khiển bằng điện thoại hoặc máy tính "
        "(thiết bị bay phun thuốc, máy sấy, kho lạnh…) không?",
        "Does the cooperative use machines controlled by phone or computer "
        "(spraying drones, dryers, cold stores…)?",
        YES_NO,
        evidence=True,
    ),
    _q(
        "dma_automation",
        "auto_maintenance",
        "single",
        "HTX có theo dõi vận hành, bảo dưỡng máy móc bằng phần mềm hoặc ứng dụng không?",
        "Does the cooperative track machine use and maintenance in software or an app?",
        FREQ,
    ),
    # --- Green digitalisation -------------------------------------------------------
    _q(
        "dma_green",
        "green_energy",
        "yes_no",
        "HTX có theo dõi lượng điện, nước, nhiên liệu tiêu thụ bằng công cụ số không?",
        "Does the cooperative track its electricity, water and fuel use with digital tools?",
        YES_NO,
    ),
    _q(
        "dma_green",
        "green_paperless",
        "single",
        "Nhờ công cụ số, HTX đã bớt giấy tờ đến mức nào?",
        "How far has the cooperative cut paper thanks to digital tools?",
        [
            ("none", "Chưa bớt", "Not at all", 0),
            ("little", "Bớt một ít", "A little", 35),
            ("much", "Phần lớn giấy tờ", "Most of it", 70),
            ("almost", "Gần như không dùng giấy", "Almost paperless", 100),
        ],
    ),
    _q(
        "dma_green",
        "green_inputs",
        "single",
        "HTX có dùng công cụ số để tính lượng phân bón, thuốc, thức ăn hợp lý không?",
        "Does the cooperative use digital tools to dose fertiliser, pesticides or feed?",
        ADOPT,
    ),
    _q(
        "dma_green",
        "green_certified",
        "yes_no",
        "HTX có chứng nhận sản xuất bền vững (VietGAP, hữu cơ…) với hồ sơ lưu điện tử không?",
        "Does the cooperative hold a sustainability certificate (VietGAP, organic…) "
        "with electronic records?",
        YES_NO,
        evidence=True,
    ),
    _q(
        "dma_green",
        "green_ewaste",
        "single",
        "Thiết bị điện tử cũ của HTX được xử lý thế nào?",
        "What happens to the cooperative's old electronic devices?",
        [
            ("trash", "Bỏ cùng rác thường", "Thrown away with other waste", 0),
            ("store", "Để trong kho", "Kept in store", 30),
            ("reuse", "Sửa chữa, dùng lại hoặc cho tặng", "Repaired, reused or given away", 70),
            (
                "recycle",
                "Giao cho đơn vị thu gom, tái chế",
                "Handed to a collector or recycler",
                100,
            ),
        ],
    ),
    # --- Online services to members -------------------------------------------------
    _q(
        "coop_member_services",
        "members_channels",
        "multi",
        "HTX liên lạc với thành viên qua những kênh nào?",
        "How does the cooperative keep in touch with its members?",
        [
            ("zalo", "Nhóm Zalo hoặc mạng xã hội", "Zalo or social media groups", 30),
            ("sms", "Tin nhắn SMS", "SMS", 20),
            ("app", "Ứng dụng hoặc trang web của HTX", "The cooperative's app or website", 30),
            ("hotline", "Điện thoại đường dây nóng", "A hotline", 20),
            ("none", "Chỉ gặp trực tiếp", "Only in person", 0),
        ],
    ),
    _q(
        "coop_member_services",
        "members_orders",
        "single",
        "Thành viên có thể đăng ký dịch vụ của HTX (vật tư, giống, tiêu thụ) trực tuyến không?",
        "Can members order the cooperative's services (inputs, seedlings, selling) online?",
        ADOPT,
    ),
    _q(
        "coop_member_services",
        "members_statement",
        "single",
        "Thành viên có xem được vốn góp, công nợ, sản phẩm đã giao trên điện thoại không?",
        "Can members see their capital, balance and deliveries on their phone?",
        ADOPT,
        evidence=True,
    ),
    _q(
        "coop_member_services",
        "members_payment",
        "single",
        "HTX thanh toán cho thành viên bằng cách nào?",
        "How does the cooperative pay its members?",
        [
            ("cash", "Tiền mặt", "Cash", 0),
            ("mixed", "Cả tiền mặt và chuyển khoản", "Cash and bank transfer", 60),
            ("transfer", "Chủ yếu chuyển khoản", "Mostly bank transfer", 100),
        ],
    ),
    _num(
        "coop_member_services",
        "members_online_share",
        "Bao nhiêu phần trăm thành viên dùng ít nhất một dịch vụ trực tuyến của HTX?",
        "What percentage of members use at least one online service of the cooperative?",
        lo=0,
        hi=100,
        full=80,
    ),
    _q(
        "coop_member_services",
        "members_feedback",
        "single",
        "HTX có nhận và trả lời góp ý của thành viên qua kênh trực tuyến không?",
        "Does the cooperative take and answer members' feedback online?",
        FREQ,
    ),
    # --- E-governance and online assemblies -----------------------------------------
    _q(
        "coop_governance",
        "gov_register",
        "single",
        "Sổ đăng ký thành viên của HTX được lưu thế nào?",
        "How is the cooperative's member register kept?",
        [
            ("paper", "Trên giấy", "On paper", 0),
            ("sheet", "Bảng tính trên máy", "A spreadsheet", 60),
            ("software", "Phần mềm hoặc hệ thống trực tuyến", "Software or an online system", 100),
        ],
        evidence=True,
        also="dbi_data",
    ),
    _q(
        "coop_governance",
        "gov_assembly",
        "single",
        "Đại hội thành viên gần nhất được tổ chức thế nào?",
        "How was the last general assembly held?",
        [
            ("inperson", "Chỉ trực tiếp", "In person only", 0),
            (
                "notice",
                "Trực tiếp, gửi giấy mời và tài liệu qua mạng",
                "In person, papers sent online",
                50,
            ),
            ("hybrid", "Kết hợp trực tiếp và trực tuyến", "In person and online", 80),
            ("online", "Trực tuyến, có biểu quyết điện tử", "Online, with electronic voting", 100),
        ],
        evidence=True,
    ),
    _q(
        "coop_governance",
        "gov_voting",
        "yes_no",
        "HTX đã từng cho thành viên biểu quyết trên điện thoại về việc của HTX chưa?",
        "Have members ever voted on cooperative matters on their phones?",
        YES_NO,
    ),
    _q(
        "coop_governance",
        "gov_disclosure",
        "single",
        "HTX có công khai báo cáo tài chính, nghị quyết cho thành viên trên mạng không?",
        "Does the cooperative publish its accounts and resolutions to members online?",
        ADOPT,
        evidence=True,
    ),
    _q(
        "coop_governance",
        "gov_esign",
        "yes_no",
        "HTX có dùng chữ ký số để ký văn bản, khai thuế, nộp báo cáo không?",
        "Does the cooperative use a digital signature to sign documents, file taxes and reports?",
        YES_NO,
        also="dbi_infrastructure",
    ),
    _q(
        "coop_governance",
        "gov_public_services",
        "multi",
        "HTX đã dùng những dịch vụ công trực tuyến nào?",
        "Which online public services has the cooperative used?",
        [
            (
                "registration",
                "Đăng ký, thay đổi thông tin HTX",
                "Registering or changing the cooperative",
                35,
            ),
            ("tax", "Khai và nộp thuế", "Filing and paying taxes", 35),
            ("insurance", "Bảo hiểm xã hội", "Social insurance", 30),
            ("none", "Chưa dùng", "None yet", 0),
        ],
    ),
    # --- Value-chain links and traceability ----------------------------------------
    _q(
        "coop_value_chain",
        "chain_contracts",
        "yes_no",
        "HTX có hợp đồng liên kết tiêu thụ sản phẩm được lưu và theo dõi điện tử không?",
        "Does the cooperative keep and follow its linkage (offtake) contracts electronically?",
        YES_NO,
        evidence=True,
    ),
    _q(
        "coop_value_chain",
        "chain_trace",
        "single",
        "Sản phẩm của HTX có mã QR truy xuất nguồn gốc không?",
        "Do the cooperative's products carry a traceability QR code?",
        ADOPT,
        evidence=True,
        also="dbi_customer",
    ),
    _q(
        "coop_value_chain",
        "chain_diary",
        "single",
        "Nhật ký sản xuất (gieo trồng, bón phân, thu hoạch) được ghi thế nào?",
        "How are production diaries (sowing, fertilising, harvest) kept?",
        [
            ("none", "Không ghi", "Not kept", 0),
            ("paper", "Ghi trên giấy", "On paper", 25),
            ("app_some", "Trên ứng dụng, một phần thành viên", "In an app, by some members", 65),
            ("app_all", "Trên ứng dụng, phần lớn thành viên", "In an app, by most members", 100),
        ],
        also="dbi_data",
    ),
    _q(
        "coop_value_chain",
        "chain_codes",
        "multi",
        "HTX có những mã số nào cho sản phẩm?",
        "Which codes does the cooperative have for its products?",
        [
            ("gtin", "Mã số mã vạch GS1", "GS1 barcode numbers", 35),
            ("area", "Mã số vùng trồng, cơ sở đóng gói", "Growing-area or packing-house codes", 35),
            ("ocop", "Sản phẩm OCOP", "OCOP-rated products", 30),
            ("none", "Chưa có", "None yet", 0),
        ],
    ),
    _q(
        "coop_value_chain",
        "chain_partner_data",
        "single",
        "HTX có trao đổi thông tin đơn hàng, chất lượng với bên mua qua hệ thống số không?",
        "Does the cooperative exchange order and quality data with buyers through digital systems?",
        FREQ,
    ),
    _num(
        "coop_value_chain",
        "chain_contract_share",
        "Bao nhiêu phần trăm sản lượng của HTX được bán qua hợp đồng liên kết?",
        "What percentage of the cooperative's output is sold under linkage contracts?",
        lo=0,
        hi=100,
        full=70,
    ),
    # --- E-commerce and payments ----------------------------------------------------
    _q(
        "coop_ecommerce",
        "ecom_presence",
        "multi",
        "HTX giới thiệu sản phẩm ở đâu trên mạng?",
        "Where does the cooperative show its products online?",
        [
            (
                "social",
                "Mạng xã hội (Facebook, Zalo, TikTok)",
                "Social media (Facebook, Zalo, TikTok)",
                25,
            ),
            ("website", "Trang web riêng", "Its own website", 25),
            ("marketplace", "Sàn thương mại điện tử", "E-commerce marketplaces", 30),
            (
                "platform",
                "Sàn của tỉnh hoặc của Liên minh HTX",
                "The province's or the Alliance's market",
                20,
            ),
            ("none", "Chưa giới thiệu trên mạng", "Nowhere yet", 0),
        ],
    ),
    _num(
        "coop_ecommerce",
        "ecom_sales_share",
        "Năm qua, bao nhiêu phần trăm doanh thu đến từ bán hàng trực tuyến?",
        "Last year, what percentage of turnover came from online sales?",
        lo=0,
        hi=100,
        full=30,
    ),
    _q(
        "coop_ecommerce",
        "ecom_qr",
        "yes_no",
        "HTX có nhận thanh toán bằng mã QR (VietQR) hoặc chuyển khoản không?",
        "Does the cooperative accept payment by QR code (VietQR) or bank transfer?",
        YES_NO,
    ),
    _q(
        "coop_ecommerce",
        "ecom_orders",
        "single",
        "HTX có quản lý đơn hàng trực tuyến (nhận, giao, theo dõi) bằng phần mềm không?",
        "Does the cooperative manage online orders (taking, shipping, tracking) in software?",
        ADOPT,
        also="dbi_operations",
    ),
    _q(
        "coop_ecommerce",
        "ecom_reviews",
        "single",
        "HTX có trả lời đánh giá, câu hỏi của khách hàng trên mạng không?",
        "Does the cooperative answer customers' reviews and questions online?",
        FREQ,
    ),
    _q(
        "coop_ecommerce",
        "ecom_delivery",
        "yes_no",
        "HTX có liên kết với dịch vụ giao hàng để bán hàng trực tuyến không?",
        "Does the cooperative work with a delivery service for online sales?",
        YES_NO,
    ),
    # --- Data on members ------------------------------------------------------------
    _q(
        "coop_member_data",
        "mdata_updates",
        "single",
        "Dữ liệu thành viên (họ tên, vốn góp, diện tích, sản lượng) được cập nhật thế nào?",
        "How is member data (names, capital, land, output) kept up to date?",
        [
            ("none", "Không cập nhật", "Not updated", 0),
            ("yearly", "Mỗi năm một lần", "Once a year", 40),
            ("changes", "Khi có thay đổi", "When something changes", 75),
            ("live", "Liên tục trên phần mềm", "Continuously, in software", 100),
        ],
    ),
    _q(
        "coop_member_data",
        "mdata_fields",
        "multi",
        "HTX có những dữ liệu điện tử nào về thành viên?",
        "What electronic data does the cooperative hold on its members?",
        [
            ("capital", "Vốn góp", "Capital contributed", 20),
            ("land", "Diện tích, vị trí thửa đất", "Land area and plots", 20),
            ("output", "Sản lượng giao cho HTX", "Output delivered", 20),
            ("services", "Dịch vụ đã sử dụng", "Services used", 20),
            ("training", "Tập huấn đã tham dự", "Training attended", 20),
            ("none", "Chưa có", "None yet", 0),
        ],
    ),
    _q(
        "coop_member_data",
        "mdata_analysis",
        "single",
        "HTX có phân tích dữ liệu thành viên để lập kế hoạch sản xuất, dịch vụ không?",
        "Does the cooperative analyse member data to plan production and services?",
        FREQ,
    ),
    _q(
        "coop_member_data",
        "mdata_access",
        "yes_no",
        "Chỉ người có trách nhiệm mới xem được dữ liệu cá nhân của thành viên (có phân quyền)?",
        "Can only the people responsible see members' personal data (access rights)?",
        YES_NO,
        also="dbi_infrastructure",
    ),
    _q(
        "coop_member_data",
        "mdata_plots",
        "single",
        "Vị trí thửa đất hoặc vùng nuôi của thành viên có được lưu tọa độ trên bản đồ số không?",
        "Are the locations of members' plots or ponds stored as map coordinates?",
        ADOPT,
        evidence=True,
    ),
    _num(
        "coop_member_data",
        "mdata_fresh_share",
        "Bao nhiêu phần trăm thành viên có dữ liệu được cập nhật trong 12 tháng qua?",
        "What percentage of members had their data updated in the past 12 months?",
        lo=0,
        hi=100,
        full=90,
    ),
]


def spec() -> dict[str, Any]:
    """The whole questionnaire in the shape the XLSForm writer and reader share."""
    dims = [
        {"weight": 1, "order": i + 1, **d}  # weights: scoring rules as data
        for i, d in enumerate(DIMENSIONS)
    ]
    questions = []
    for i, q in enumerate(QUESTIONS):
        item = {
            "weight": 1,
            "help": "",
            "help_en": "",
            "number_min": None,
            "number_max": None,
            "number_full": None,
            "mapped_from": "",
            "comparable": True,
            "order": i + 1,
            **q,
        }
        item["options"] = [
            {"value": v, "label": vi, "label_en": en, "score": s} for v, vi, en, s in q["options"]
        ]
        questions.append(item)
    return {
        "code": CODE,
        "version": VERSION,
        "title": "Tự đánh giá mức độ chuyển đổi số của hợp tác xã",
        "title_en": "Cooperative digital maturity self-assessment",
        "description": (
            "60 câu hỏi theo 6 chiều của EU DMA và 5 chiều riêng của HTX; "
            "mỗi câu cũng được tính vào một trụ cột DBI."
        ),
        "dimensions": dims,
        "levels": [
            {"level": lv, "min_score": ms, "name": vi, "name_en": en} for lv, ms, vi, en in LEVELS
        ],
        "questions": questions,
    }
