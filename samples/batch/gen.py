#!/usr/bin/env python3
"""gen.py - the data of a batch of chi bộ reports (samples/batch/bao-cao.md).

    python3 samples/batch/gen.py [--rows N] [--orgs M] [--seed S] [--csv FILE] [--json FILE]

Writes N rows (default 1,117 chi bộ, as many as the Đảng bộ Khối of the seed
report has) under M grassroots organisations (default 121: the seed's 93 đảng
bộ cơ sở and 28 chi bộ cơ sở in the same proportion), as CSV and/or JSON, the
same rows in both. With neither --csv nor --json the CSV goes to standard
output. The same arguments always give the same bytes (random.Random(seed),
no clock, no locale).

The CSV is written the way Excel's "CSV UTF-8" writes it on a Vietnamese
Windows, whose list separator is ";": a byte-order mark, ";" between cells,
CRLF after each row, a cell quoted only when it holds ";", '"' or a line break
("" for a quote inside), a line break inside a cell (Alt+Enter) as a bare LF.
Table rows are the columns bang.1.stt, bang.1.noi_dung, bang.1.so_luong,
bang.2.…, up to the longest table; a shorter table leaves its last items'
cells empty; the signer's columns nguoi_ky.chuc_vu and nguoi_ky.ho_ten make
the object nguoi_ky. The JSON is an array of objects with the signer as an
object and the table as an array of objects ("bang": [{"stt": 1, "noi_dung": …, "so_luong": 12}, …]); counts are
JSON numbers, everything else strings, so that each value reads as the same
text in both files. All text is NFC.

samples/batch/chi-bo.csv and chi-bo.json are this script's output with
--rows 24 --orgs 8 (see samples/batch/README.md); the first organisations and
units of the lists below are the awkward names real data has (":" "*" "-",
quotes, a name over two lines), so any run of 24 rows or more has them.
Only the Python standard library is used.
"""
import argparse
import csv
import io
import json
import random
import sys
import unicodedata

KHOI = "ĐẢNG BỘ KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH"
MAX_ITEMS = 6  # table rows per report: 2 to 6 (the report stays on 3 pages)

# Grassroots organisations: (name as a sentence writes it, kind, place). The
# awkward ones first. The kind picks the pool of chi bộ names.
ORGS = [
    ("Sở Khoa học *và* Công nghệ", "so", "Thanh Hoá"),
    ("Công ty Cổ phần Xi măng \"Công Thanh\"", "cty", "Nghi Sơn"),
    ("Bệnh viện Đa khoa tỉnh", "bv", "Thanh Hoá"),
    ("Sở Tài chính", "so", "Thanh Hoá"),
    ("Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp", "ban", "Nghi Sơn"),
    ("Trường Đại học Hồng Đức", "dh", "Thanh Hoá"),
    ("Công ty TNHH MTV Sông Chu", "cty", "Thọ Xuân"),
    ("Kho bạc Nhà nước khu vực XI", "so", "Thanh Hoá"),
    ("Sở Xây dựng", "so", "Thanh Hoá"),
    ("Sở Y tế", "so", "Thanh Hoá"),
    ("Sở Giáo dục và Đào tạo", "so", "Thanh Hoá"),
    ("Sở Nông nghiệp và Môi trường", "so", "Thanh Hoá"),
    ("Sở Công Thương", "so", "Thanh Hoá"),
    ("Sở Nội vụ", "so", "Thanh Hoá"),
    ("Sở Tư pháp", "so", "Thanh Hoá"),
    ("Sở Văn hoá, Thể thao và Du lịch", "so", "Thanh Hoá"),
    ("Sở Dân tộc và Tôn giáo", "so", "Thanh Hoá"),
    ("Thanh tra tỉnh", "so", "Thanh Hoá"),
    ("Văn phòng Uỷ ban nhân dân tỉnh", "so", "Thanh Hoá"),
    ("Bảo hiểm xã hội tỉnh", "so", "Thanh Hoá"),
    ("Thuế tỉnh", "so", "Thanh Hoá"),
    ("Đài Phát thanh và Truyền hình tỉnh", "so", "Thanh Hoá"),
    ("Báo Thanh Hoá", "so", "Thanh Hoá"),
    ("Bệnh viện Nhi", "bv", "Thanh Hoá"),
    ("Bệnh viện Phụ sản", "bv", "Thanh Hoá"),
    ("Bệnh viện Đa khoa khu vực Ngọc Lặc", "bv", "Ngọc Lặc"),
    ("Bệnh viện Đa khoa khu vực Hà Trung", "bv", "Hà Trung"),
    ("Bệnh viện Y học cổ truyền", "bv", "Thanh Hoá"),
    ("Bệnh viện Phổi", "bv", "Thanh Hoá"),
    ("Bệnh viện Tâm thần", "bv", "Thanh Hoá"),
    ("Trường Cao đẳng Y tế", "dh", "Thanh Hoá"),
    ("Trường Đại học Văn hoá, Thể thao và Du lịch", "dh", "Thanh Hoá"),
    ("Trường Cao đẳng Nông nghiệp", "dh", "Thanh Hoá"),
    ("Trường Chính trị tỉnh", "dh", "Thanh Hoá"),
    ("Ban Quản lý dự án đầu tư xây dựng công trình giao thông", "ban", "Thanh Hoá"),
    ("Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp", "ban", "Thanh Hoá"),
    ("Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh", "cty", "Thanh Hoá"),
    ("Ngân hàng TMCP Công Thương chi nhánh tỉnh", "cty", "Thanh Hoá"),
    ("Công ty Điện lực tỉnh", "cty", "Thanh Hoá"),
    ("Công ty Cổ phần Cấp nước", "cty", "Thanh Hoá"),
    ("Công ty Cổ phần Môi trường và Công trình đô thị", "cty", "Thanh Hoá"),
    ("Công ty TNHH MTV Thuỷ lợi Bắc Sông Mã", "cty", "Thanh Hoá"),
    ("Công ty TNHH MTV Thuỷ lợi Nam Sông Mã", "cty", "Thanh Hoá"),
    ("Công ty Cổ phần Mía đường Lam Sơn", "cty", "Thọ Xuân"),
    ("Công ty Cổ phần Bia Thanh Hoá", "cty", "Thanh Hoá"),
    ("Công ty Cổ phần Cảng Nghi Sơn", "cty", "Nghi Sơn"),
    ("Viễn thông tỉnh", "cty", "Thanh Hoá"),
    ("Bưu điện tỉnh", "cty", "Thanh Hoá"),
]
# The rest, to any count: companies named by trade and place.
TRADES = ["Xây dựng", "Vận tải", "Dược - Vật tư y tế", "Giống cây trồng", "Lâm nghiệp", "Thương mại",
          "Đầu tư phát triển hạ tầng", "Khoáng sản", "Cơ khí", "May", "Chế biến nông sản", "Du lịch"]
PLACES = ["Sông Mã", "Lam Sơn", "Hàm Rồng", "Sầm Sơn", "Bỉm Sơn", "Ngọc Lặc", "Như Thanh", "Quảng Xương",
          "Tĩnh Gia", "Hoằng Hoá", "Thạch Thành", "Cẩm Thuỷ"]

# Chi bộ names by kind of organisation (after "Chi bộ "); the awkward ones first.
UNITS = {
    "so": ["Phòng Kế hoạch - Tài chính", "Văn phòng: Tổng hợp - Hành chính", "Trung tâm Thông tin - Thống kê",
           "Trung tâm Kỹ thuật \"Tiêu chuẩn - Đo lường - Chất lượng\"", "Thanh tra", "Phòng Tổ chức cán bộ",
           "Phòng Quản lý chuyên ngành", "Phòng Pháp chế", "Phòng Quản lý khoa học", "Trung tâm Dịch vụ công",
           "Phòng Hợp tác quốc tế", "Phòng Quản lý công nghệ và thị trường"],
    "bv": ["Khoa Hồi sức tích cực: Chống độc", "Khoa Nội tổng hợp", "Khoa Ngoại - Chấn thương", "Khoa Khám bệnh",
           "Khoa Nhi", "Khoa Sản", "Khoa Dược", "Phòng Điều dưỡng", "Khoa Xét nghiệm", "Khoa Chẩn đoán hình ảnh",
           "Phòng Kế hoạch tổng hợp", "Khoa Y học cổ truyền - Phục hồi chức năng"],
    "cty": ["Phân xưởng Lò nung \"Số 2\"", "Phòng Kỹ thuật - Vật tư", "Phòng Kinh doanh", "Văn phòng Công ty",
            "Xí nghiệp Cơ điện", "Phân xưởng Sản xuất số 1", "Phòng Tài chính - Kế toán", "Đội Xe - Máy",
            "Chi nhánh phía Nam", "Phòng An toàn - Môi trường", "Xưởng Sửa chữa", "Ban Quản lý dự án"],
    "ban": ["Phòng Quản lý đầu tư", "Văn phòng Ban", "Phòng Quản lý quy hoạch - Xây dựng", "Phòng Doanh nghiệp",
            "Trung tâm Xúc tiến đầu tư", "Phòng Tài nguyên - Môi trường", "Ban Bồi thường: Giải phóng mặt bằng",
            "Phòng Thẩm định"],
    "dh": ["Khoa Khoa học Tự nhiên", "Khoa Kỹ thuật - Công nghệ", "Khoa Kinh tế - Quản trị kinh doanh",
           "Khoa Ngoại ngữ", "Phòng Đào tạo", "Khoa Giáo dục Tiểu học", "Phòng Quản lý khoa học: Hợp tác quốc tế",
           "Khoa Lý luận chính trị - Luật", "Thư viện", "Phòng Hành chính - Tổng hợp", "Khoa Nông - Lâm - Ngư nghiệp"],
}
# Names over two lines, as typed in a cell with Alt+Enter: (kind, index in UNITS) -> the header's text.
TWO_LINE = {("so", 2): "CHI BỘ TRUNG TÂM THÔNG TIN -\nTHỐNG KÊ"}

TOPICS = [
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Nâng cao chất lượng sinh hoạt chi bộ theo Hướng dẫn số 12-HD/BTCTW",
    "Trách nhiệm nêu gương của cán bộ, đảng viên: \"nói đi đôi với làm\"",
    "Chuyển đổi số trong cơ quan, đơn vị",
    "Phòng, chống tham nhũng, tiêu cực; thực hành tiết kiệm",
    "Công tác phát triển đảng viên - tạo nguồn kết nạp",
    "Cải cách hành chính | nâng cao chỉ số hài lòng",
    "Bảo vệ nền tảng tư tưởng của Đảng *trên không gian mạng*",
    "Văn hoá công vụ #2: ứng xử với Nhân dân",
    "- An toàn, vệ sinh lao động",
    "Thực hiện Quy định số 144-QĐ/TW về chuẩn mực đạo đức cách mạng",
    "Công tác dân vận của chi bộ",
]
SHORTCOMINGS = [
    "Một số kỳ sinh hoạt còn nặng về kiểm điểm nhiệm vụ chuyên môn; sinh hoạt chuyên đề chưa đều giữa các quý.",
    "Việc chuẩn bị nội dung sinh hoạt có kỳ còn chậm; tỷ lệ đảng viên phát biểu ý kiến chưa cao.",
    "Công tác tạo nguồn phát triển đảng viên trong người lao động trẻ còn khó khăn.",
    "Một số đảng viên tuổi cao, sức yếu chưa tham gia đầy đủ các kỳ sinh hoạt.",
]
EXTRA_RECIPIENTS = ["Đồng chí Phó Bí thư Đảng uỷ phụ trách", "Công đoàn cơ sở (để phối hợp)",
                    "Chi đoàn Thanh niên (để phối hợp)"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Lê Thị", "Mai", "Trịnh", "Đặng"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đình", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân", "Đức", "Hồng"]
GIVEN = ["Hải", "Lan", "Hùng", "Hương", "Tuấn", "Mai", "Dũng", "Hà", "Sơn", "Nga", "Thắng", "Yến", "Long", "Hoa",
         "Quyết", "Thuỷ", "Bình", "Phương", "Cường", "Tâm"]
XEP_LOAI = ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành tốt nhiệm vụ",
            "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"]


def nfc(s):
    return unicodedata.normalize("NFC", s)


def orgs(m):
    """m organisations: the list above, then companies by trade and place."""
    out = list(ORGS[:m])
    i = 0
    while len(out) < m:
        t, p = TRADES[i % len(TRADES)], PLACES[(i // len(TRADES)) % len(PLACES)]
        n = i // (len(TRADES) * len(PLACES))
        out.append(("Công ty Cổ phần %s %s%s" % (t, p, " %d" % (n + 1) if n else ""), "cty", p))
        i += 1
    return out


def two(n):
    """A count as the seed writes it: one leading zero below 10."""
    return "%02d" % n if n < 10 else str(n)


def generate(nrows, norgs, seed):
    rnd = random.Random(seed)
    org = orgs(norgs)
    # The seed's proportion of chi bộ cơ sở (28 of 121): each reports alone, as its own row. They are
    # taken from the end, so the awkward organisations at the head are đảng bộ with many chi bộ.
    n_cs = min(round(norgs * 28 / 121), max(0, nrows - 1))
    db = org[:norgs - n_cs]
    cs = org[norgs - n_cs:]
    left = nrows - len(cs)
    # Chi bộ per đảng bộ: random weights scaled to the rows left, at least one each when there are enough.
    w = [rnd.uniform(0.5, 2.0) for _ in db]
    counts = [0] * len(db)
    if db:
        base = 1 if left >= len(db) else 0
        counts = [base] * len(db)
        rest = left - base * len(db)
        tot = sum(w)
        share = [rest * x / tot for x in w]
        counts = [c + int(s) for c, s in zip(counts, share)]
        order = sorted(range(len(db)), key=lambda i: -(share[i] - int(share[i])))
        for i in order[:left - sum(counts)]:
            counts[i] += 1
    units = []
    for oi, (o, kind, place) in enumerate(db):
        pool = UNITS[kind]
        for k in range(counts[oi]):
            name = pool[k % len(pool)] + (" %d" % (k // len(pool) + 1) if k >= len(pool) else "")
            head = TWO_LINE.get((kind, k)) if k < len(pool) else None
            units.append(dict(org=o, place=place, unit="Chi bộ " + name, head=head,
                              parent="ĐẢNG BỘ " + o.upper(), above="Đảng uỷ " + o, code="%03d-%02d" % (oi + 1, k + 1)))
    for ci, (o, kind, place) in enumerate(cs):
        units.append(dict(org=o, place=place, unit="Chi bộ " + o, head=None, parent=KHOI,
                          above="Ban Thường vụ Đảng uỷ Khối", code="%03d-00" % (len(db) + ci + 1)))

    rows = []
    for u in units:
        members = rnd.randint(4, 48)
        women = rnd.randint(0, members * 2 // 3)
        held = rnd.randint(10, 12)
        topics = rnd.sample(range(len(TOPICS)), rnd.randint(2, MAX_ITEMS))
        bang = [dict(stt=i + 1, noi_dung=TOPICS[t], so_luong=rnd.randint(max(1, members * 3 // 4), members))
                for i, t in enumerate(topics)]
        signer_post = "BÍ THƯ" if rnd.random() < 0.85 else "PHÓ BÍ THƯ"
        rows.append(dict(
            ma_chi_bo=u["code"],
            so=two(rnd.randint(1, 40)),
            ky_hieu="CB",
            ngay="2026-06-%02d" % rnd.randint(5, 26),
            noi=u["place"],
            cap_tren=u["parent"],
            cap_uy_tren=u["above"],
            ten_chi_bo=u["head"] or u["unit"].upper(),
            chi_bo=u["unit"],
            don_vi=u["org"],
            nguoi_ky=dict(chuc_vu=signer_post,
                          ho_ten="%s %s %s" % (rnd.choice(SURNAMES), rnd.choice(MIDDLE), rnd.choice(GIVEN))),
            dang_vien=members,
            nu=women,
            du_bi=rnd.randint(0, min(3, members // 4)),
            sh_dinh_ky=held,
            sh_chuyen_de=len(bang),
            ket_nap=rnd.randint(0, 3),
            du_sinh_hoat=rnd.randint(1, 4),
            ty_le=("%d,%d%%" % divmod(rnd.randint(880, 1000), 10)).replace(",0%", "%"),
            xep_loai=rnd.choice(XEP_LOAI),
            han_che=rnd.choice(SHORTCOMINGS) if rnd.random() < 0.6 else "",
            nhan_them=rnd.choice(EXTRA_RECIPIENTS) if rnd.random() < 0.4 else "",
            bang=bang,
        ))
    return rows


SCALARS = ["ma_chi_bo", "so", "ky_hieu", "ngay", "noi", "cap_tren", "cap_uy_tren", "ten_chi_bo", "chi_bo", "don_vi", "nguoi_ky.chuc_vu",
           "nguoi_ky.ho_ten", "dang_vien", "nu", "du_bi", "sh_dinh_ky", "sh_chuyen_de", "ket_nap", "du_sinh_hoat", "ty_le",
           "xep_loai", "han_che", "nhan_them"]
ITEM_KEYS = ["stt", "noi_dung", "so_luong"]


def value(row, key):
    """row["a.b"] is row["a"]["b"]."""
    for part in key.split("."):
        row = row[part]
    return row


def write_csv(rows, f):
    width = max(len(r["bang"]) for r in rows) if rows else 0
    head = SCALARS + ["bang.%d.%s" % (i + 1, k) for i in range(width) for k in ITEM_KEYS]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    w.writerow(head)
    for r in rows:
        cells = [str(value(r, k)) for k in SCALARS]
        for i in range(width):
            it = r["bang"][i] if i < len(r["bang"]) else None
            cells += [str(it[k]) if it else "" for k in ITEM_KEYS]
        w.writerow([nfc(c) for c in cells])
    f.write(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def write_json(rows, f):
    out = []
    for r in rows:
        o = {}
        for k in SCALARS:  # "a.b" makes the object a
            v = value(r, k)
            v = v if isinstance(v, int) else nfc(v)
            if "." in k:
                o.setdefault(k.split(".")[0], {})[k.split(".")[1]] = v
            else:
                o[k] = v
        o["bang"] = [{k: (it[k] if isinstance(it[k], int) else nfc(it[k])) for k in ITEM_KEYS} for it in r["bang"]]
        out.append(o)
    f.write((json.dumps(out, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1117, help="chi bộ (rows), default 1117")
    ap.add_argument("--orgs", type=int, default=121, help="grassroots organisations, default 121")
    ap.add_argument("--seed", type=int, default=196, help="random seed, default 196")
    ap.add_argument("--csv", help="write the CSV here ('-': standard output)")
    ap.add_argument("--json", help="write the JSON here ('-': standard output)")
    a = ap.parse_args(argv)
    if a.rows < 1 or a.orgs < 1 or a.orgs > a.rows:
        ap.error("need 1 <= --orgs <= --rows")
    rows = generate(a.rows, a.orgs, a.seed)
    if not a.csv and not a.json:
        a.csv = "-"
    for path, fn in ((a.csv, write_csv), (a.json, write_json)):
        if not path:
            continue
        if path == "-":
            fn(rows, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with open(path, "wb") as f:
                fn(rows, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
