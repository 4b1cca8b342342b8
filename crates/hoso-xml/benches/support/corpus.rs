//! A deterministic generator of realistic documents for the canonicalization
//! benchmarks: Vietnamese VAT e-invoices shaped like the XML of Circular
//! 78/2021 (`HDon` / `DLHDon` / `NDHDon` / `DSHHDVu` / `DSCKS`), with
//! namespaces (a default one, `ds:` for the enveloped signature, `xsi:` and an
//! extension prefix `ext:` used on some line items only, so that exclusive
//! canonicalization has namespaces to render below the root), attributes,
//! Vietnamese text with diacritics, character references, CDATA sections,
//! comments and indentation.  The line items repeat until the target size is
//! reached, so a large document is a large invoice (a bulk statement), not a
//! concatenation of small ones.
//!
//! The same `(name, size)` always produces the same bytes: the benchmark
//! writes the corpus to `target/bench-corpus/` and the libxml2 peer reads the
//! very same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The standard corpus: file name and target size in bytes.
pub const STANDARD: [(&str, usize); 3] = [
    ("invoice-5k.xml", 5_000),
    ("invoice-100k.xml", 100_000),
    ("invoice-10m.xml", 10_000_000),
];

/// The default corpus directory: `target/bench-corpus/` of the workspace
/// (`$CARGO_TARGET_DIR/bench-corpus` when that is set at run time).
pub fn default_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t).join("bench-corpus"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-corpus"),
    }
}

/// Writes the standard corpus into `dir` where a file is missing, and returns
/// the paths in order of size.
pub fn ensure(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let dir = &dir.canonicalize()?;
    let mut paths = Vec::new();
    for (i, (name, size)) in STANDARD.iter().enumerate() {
        let path = dir.join(name);
        if !path.exists() {
            let doc = invoice(*size, 0x686f_736f_0000 + i as u64);
            // Write then rename, so that an interrupted run leaves no
            // truncated file behind that a later run would take as complete.
            let tmp = path.with_extension("xml.tmp");
            std::fs::write(&tmp, &doc)?;
            std::fs::rename(&tmp, &path)?;
        }
        paths.push(path);
    }
    Ok(paths)
}

/// SplitMix64: small, deterministic, good enough to vary the content.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn base64(&mut self, out: &mut String, len: usize, indent: &str) {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for i in 0..len {
            if i > 0 && i % 76 == 0 {
                out.push('\n');
                out.push_str(indent);
            }
            out.push(ALPHABET[self.below(64) as usize] as char);
        }
    }
}

const PRODUCTS: &[&str] = &[
    "Gạo ST25 đóng túi 5 kg",
    "Cà phê rang xay Buôn Ma Thuột 500 g",
    "Nước mắm Phú Quốc 40 độ đạm, chai 500 ml",
    "Chè Thái Nguyên đặc sản, hộp 200 g",
    "Xi măng PCB40 bao 50 kg",
    "Thép cuộn phi 6 &amp; phi 8 (cán nóng)",
    "Dịch vụ tư vấn thủ tục hành chính trực tuyến",
    "Phí duy trì chữ ký số tháng 03/2025",
    "Giấy in A4 định lượng 70 g/m², ram 500 tờ",
    "Bàn làm việc gỗ công nghiệp 1m2 × 0m6",
    "Máy tính xách tay – bảo hành 24 tháng",
    "Vận chuyển hàng hóa tuyến Hà Nội – Hải Phòng",
    "Dầu ăn thực vật Tường An, can 5 lít",
    "Sữa tươi tiệt trùng ít đường, thùng 48 hộp",
    "Đèn LED âm trần 12 W ánh sáng trắng",
    "Khẩu trang y tế 4 lớp, hộp 50 chiếc",
];

const UNITS: &[&str] = &[
    "Túi", "Hộp", "Chai", "Bao", "Tấn", "Gói", "Ram", "Chiếc", "Bộ", "Chuyến", "Tháng", "Thùng",
    "Can", "Lần",
];

const NOTES: &[&str] = &[
    "Hàng khuyến mại, không thu tiền",
    "Giao hàng tại kho Đông Anh trước 17 giờ",
    "Đơn giá đã bao gồm phí vận chuyển <= 50 km & bốc xếp",
    "Theo hợp đồng số 15/2025/HĐMB ký ngày 02/01/2025",
    "Chiết khấu thương mại 2% cho khách hàng thân thiết",
    "Hàng hóa có nguồn gốc xuất xứ Việt Nam",
];

const PEOPLE: &[&str] = &[
    "Nguyễn Thị Minh Khai",
    "Trần Văn Đức",
    "Lê Hoàng Phương Anh",
    "Phạm Quốc Việt",
    "Hoàng Thị Thu Hằng",
    "Võ Đình Nguyên",
    "Đặng Ngọc Ánh",
];

const PLACES: &[&str] = &[
    "Số 12, phố Hàng Bài, phường Tràng Tiền, quận Hoàn Kiếm, Hà Nội",
    "Số 45 đường Lê Lợi, phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh",
    "Tổ 7, phường Phan Thiết, thành phố Tuyên Quang, tỉnh Tuyên Quang",
    "Lô C2, khu công nghiệp Đình Vũ, quận Hải An, Hải Phòng",
    "Thôn Yên Phú, xã Thắng Quân, huyện Yên Sơn, tỉnh Tuyên Quang",
];

const COMPANIES: &[&str] = &[
    "Công ty TNHH Thương mại &amp; Dịch vụ Hồng Hà",
    "Công ty Cổ phần Xây dựng Sông Đà – Thăng Long",
    "Hợp tác xã Nông nghiệp Yên Sơn",
    "Công ty TNHH Một thành viên Cà phê Tây Nguyên",
    "Doanh nghiệp tư nhân Vận tải Đức Thành",
];

/// One e-invoice of about `target` bytes (never much less; at most one line
/// item more).
pub fn invoice(target: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut s = String::with_capacity(target + 8192);
    let number = 1 + rng.below(9_999_999);
    let _ = write!(
        s,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- Hóa đơn giá trị gia tăng điện tử: tài liệu mẫu sinh tự động cho đo hiệu năng chuẩn hóa (C14N) -->
<HDon xmlns="urn:hoso:bench:hoadon:2.0.1" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ext="urn:hoso:bench:mo-rong" xsi:schemaLocation="urn:hoso:bench:hoadon:2.0.1 hoadon-2.0.1.xsd">
  <DLHDon Id="DLHDon-{number:07}">
    <TTChung>
      <PBan>2.0.1</PBan>
      <THDon>Hóa đơn giá trị gia tăng</THDon>
      <KHMSHDon>1</KHMSHDon>
      <KHHDon>C25TAA</KHHDon>
      <SHDon>{number:07}</SHDon>
      <NLap>2025-03-{day:02}</NLap>
      <DVTTe>VND</DVTTe>
      <TGia>1</TGia>
      <HTTToan>Tiền mặt/Chuyển khoản</HTTToan>
      <MSTTCGP>0101234567</MSTTCGP>
    </TTChung>
    <NDHDon>
      <NBan>
        <Ten>{seller}</Ten>
        <MST>0101234567</MST>
        <DChi>{seller_place}</DChi>
        <SDThoai>024 3825 1234</SDThoai>
        <DCTDTu>ketoan@hongha.example.vn</DCTDTu>
        <STKNHang>0011004123456</STKNHang>
        <TNHang>Ngân hàng TMCP Ngoại thương Việt Nam – Chi nhánh Hà Nội</TNHang>
      </NBan>
      <NMua>
        <Ten>{buyer}</Ten>
        <MST>46{buyer_tax:08}</MST>
        <DChi>{buyer_place}</DChi>
        <HVTNMHang>{person}</HVTNMHang>
        <SDThoai>0912 {phone:06}</SDThoai>
      </NMua>
      <DSHHDVu>
"#,
        day = 1 + rng.below(28),
        seller = rng.pick(COMPANIES),
        seller_place = rng.pick(PLACES),
        buyer = rng.pick(COMPANIES),
        buyer_tax = rng.below(100_000_000),
        buyer_place = rng.pick(PLACES),
        person = rng.pick(PEOPLE),
        phone = rng.below(1_000_000),
    );

    // The part after the line items is about this long (the signature
    // dominates); stop adding items when the total would reach the target.
    const TAIL: usize = 2_750;
    let (mut total, mut vat) = (0u64, 0u64);
    let mut line = 0u64;
    while line == 0 || s.len() + TAIL < target {
        line += 1;
        let qty = 1 + rng.below(250);
        let price = (1 + rng.below(2_000)) * 500;
        let amount = qty * price;
        let rate = if rng.chance(70) { 8 } else { 10 };
        total += amount;
        vat += amount * rate / 100;
        let kind = if rng.chance(85) { "hangHoa" } else { "dichVu" };
        if line.is_multiple_of(7) {
            let _ = writeln!(
                s,
                "        <!-- Dòng {line}: {} -->",
                rng.pick(NOTES).replace('&', "và").replace('<', "≤")
            );
        }
        // The extension prefix appears on about one line in four: exclusive
        // canonicalization declares it on each such line.
        let ext_attr = if rng.chance(25) {
            format!(
                r#" ext:maKho="KHO-{}-{:02}""#,
                rng.pick(&["HN", "HP", "ĐN", "HCM"]),
                rng.below(40)
            )
        } else {
            String::new()
        };
        let _ = write!(
            s,
            r#"        <HHDVu STT="{line}" loai="{kind}"{ext_attr}>
          <TChat>1</TChat>
          <STT>{line}</STT>
          <MHHDVu>SP-{code:06}</MHHDVu>
          <THHDVu>{name}</THHDVu>
          <DVTinh>{unit}</DVTinh>
          <SLuong>{qty}</SLuong>
          <DGia>{price}</DGia>
          <TLCKhau>0</TLCKhau>
          <STCKhau>0</STCKhau>
          <ThTien>{amount}</ThTien>
          <TSuat>{rate}%</TSuat>
"#,
            code = rng.below(1_000_000),
            name = rng.pick(PRODUCTS),
            unit = rng.pick(UNITS),
        );
        if rng.chance(20) {
            let _ = writeln!(
                s,
                r#"          <ext:LoHang soLo="L2025-{:03}" hanDung="2026-{:02}-{:02}" ghiChu="Bảo quản nơi khô ráo, tránh ánh nắng &quot;trực tiếp&quot;">Lô sản xuất tháng {}&#x2F;2025</ext:LoHang>"#,
                rng.below(1000),
                1 + rng.below(12),
                1 + rng.below(28),
                1 + rng.below(12),
            );
        }
        if rng.chance(35) {
            let _ = write!(
                s,
                r#"          <TTKhac>
            <TTin>
              <TTruong>GhiChu</TTruong>
              <KDLieu>string</KDLieu>
              <DLieu><![CDATA[{}]]></DLieu>
            </TTin>
          </TTKhac>
"#,
                rng.pick(NOTES)
            );
        }
        s.push_str("        </HHDVu>\n");
    }

    let _ = write!(
        s,
        r##"      </DSHHDVu>
      <TToan>
        <THTTLTSuat>
          <LTSuat><TSuat>8%</TSuat><ThTien>{total}</ThTien><TThue>{vat}</TThue></LTSuat>
        </THTTLTSuat>
        <TgTCThue>{total}</TgTCThue>
        <TgTThue>{vat}</TgTThue>
        <TgTTTBSo>{grand}</TgTTTBSo>
        <TgTTTBChu>Số tiền viết bằng chữ: xem bảng kê đính kèm (đồng Việt Nam)</TgTTTBChu>
      </TToan>
    </NDHDon>
  </DLHDon>
  <DSCKS>
    <NBan>
      <ds:Signature Id="seller-signature">
        <ds:SignedInfo>
          <ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
          <ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>
          <ds:Reference URI="#DLHDon-{number:07}">
            <ds:Transforms>
              <ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>
              <ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
            </ds:Transforms>
            <ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>
            <ds:DigestValue>"##,
        grand = total + vat,
    );
    rng.base64(&mut s, 43, "");
    s.push_str("=</ds:DigestValue>\n          </ds:Reference>\n        </ds:SignedInfo>\n        <ds:SignatureValue>\n");
    rng.base64(&mut s, 342, "");
    s.push_str("==</ds:SignatureValue>\n        <ds:KeyInfo>\n          <ds:X509Data>\n            <ds:X509SubjectName>CN=");
    s.push_str(rng.pick(COMPANIES));
    s.push_str(",O=Hồng Hà,L=Hà Nội,C=VN</ds:X509SubjectName>\n            <ds:X509Certificate>");
    rng.base64(&mut s, 1_250, "");
    s.push_str(
        "</ds:X509Certificate>\n          </ds:X509Data>\n        </ds:KeyInfo>\n      </ds:Signature>\n    </NBan>\n  </DSCKS>\n</HDon>\n",
    );
    s.into_bytes()
}
