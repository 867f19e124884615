"""The seeded category tree (slug, Vietnamese name, English name, perishable, children).

Used by migration 0002 (kept here as data so the demo and the tests share it).
"""

CATEGORIES: list[tuple[str, str, str, bool, list[tuple[str, str, str, bool]]]] = [
    (
        "ca-phe-tra",
        "Cà phê, chè",
        "Coffee and tea",
        False,
        [
            ("ca-phe", "Cà phê", "Coffee", False),
            ("che-tra", "Chè (trà)", "Tea", False),
            ("ca-cao", "Ca cao", "Cocoa", False),
        ],
    ),
    (
        "mat-ong",
        "Mật ong và sản phẩm từ ong",
        "Honey and bee products",
        False,
        [
            ("mat-ong-nguyen-chat", "Mật ong", "Honey", False),
            ("phan-hoa-sap-ong", "Phấn hoa, sáp ong", "Pollen and beeswax", False),
        ],
    ),
    (
        "gao-ngu-coc",
        "Gạo, ngũ cốc",
        "Rice and grains",
        False,
        [
            ("gao", "Gạo", "Rice", False),
            ("nep-ngo-dau", "Nếp, ngô, đậu", "Sticky rice, maize and beans", False),
            ("bun-mien-banh", "Bún, miến, bánh đa", "Noodles and rice paper", False),
        ],
    ),
    (
        "trai-cay",
        "Trái cây",
        "Fruit",
        True,
        [
            ("trai-cay-tuoi", "Trái cây tươi", "Fresh fruit", True),
            ("trai-cay-say", "Trái cây sấy, mứt", "Dried fruit and jams", False),
        ],
    ),
    (
        "rau-cu",
        "Rau, củ, nấm",
        "Vegetables and mushrooms",
        True,
        [
            ("rau-tuoi", "Rau tươi", "Fresh vegetables", True),
            ("cu-qua", "Củ, quả", "Roots and tubers", True),
            ("nam", "Nấm", "Mushrooms", True),
        ],
    ),
    (
        "gia-vi",
        "Gia vị",
        "Spices",
        False,
        [
            ("ho-tieu", "Hồ tiêu", "Pepper", False),
            ("que-hoi", "Quế, hồi", "Cinnamon and star anise", False),
            ("ot-gung-nghe", "Ớt, gừng, nghệ", "Chilli, ginger and turmeric", False),
            ("nuoc-mam", "Nước mắm, tương", "Fish sauce and soy sauce", False),
        ],
    ),
    (
        "duoc-lieu",
        "Dược liệu",
        "Medicinal herbs",
        False,
        [
            ("sam-dinh-lang", "Sâm, đinh lăng", "Ginseng and polyscias", False),
            ("thao-duoc", "Thảo dược, trà thảo mộc", "Herbs and herbal teas", False),
        ],
    ),
    (
        "thuy-hai-san",
        "Thủy hải sản, đồ khô",
        "Seafood and dried goods",
        True,
        [
            ("hai-san-kho", "Hải sản khô", "Dried seafood", False),
            ("thuy-san-tuoi", "Thủy sản tươi, đông lạnh", "Fresh and frozen fish", True),
            ("thit-kho", "Thịt khô, lạp xưởng", "Dried meat and sausages", False),
        ],
    ),
    (
        "det-tho-cam",
        "Thổ cẩm, dệt may",
        "Brocade and textiles",
        False,
        [
            ("tho-cam", "Thổ cẩm", "Brocade", False),
            ("lua-to-tam", "Lụa, tơ tằm", "Silk", False),
        ],
    ),
    (
        "may-tre-dan",
        "Mây tre đan",
        "Bamboo and rattan",
        False,
        [
            ("do-may-tre", "Đồ mây tre đan", "Bamboo and rattan goods", False),
            ("coi-la", "Cói, lục bình", "Sedge and water hyacinth", False),
        ],
    ),
    (
        "gom-su",
        "Gốm sứ",
        "Pottery",
        False,
        [
            ("gom", "Gốm", "Pottery", False),
        ],
    ),
    (
        "thu-cong-khac",
        "Thủ công mỹ nghệ khác",
        "Other handicrafts",
        False,
        [
            ("do-go", "Đồ gỗ, sơn mài", "Wood and lacquer", False),
            ("trang-suc-bac", "Trang sức bạc", "Silver jewellery", False),
        ],
    ),
]
