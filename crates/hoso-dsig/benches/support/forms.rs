//! Signed documents for the signature-verification benchmark: a Vietnamese
//! e-form (a report on groundwater extraction under a licence, "báo cáo tình
//! hình khai thác, sử dụng nước dưới đất") of about 5 KB, and the same form
//! with enough monitoring records ("số liệu quan trắc") to reach about 10 MB.
//!
//! The form has a default namespace, a `ct:` prefix declared on the document
//! element and used throughout, and a `qt:` extension prefix declared on a
//! quarter of the records only (exclusive canonicalization renders it there),
//! attributes, Vietnamese text with diacritics, `&amp;` and character
//! references, CDATA sections, comments and indentation.  The unsigned bytes
//! depend only on `(size, seed)`.
//!
//! Each form is signed by `hoso_dsig::sign_enveloped` with the TEST PKI of
//! `certs/test`: an enveloped XAdES B-B signature (`URI=""`, exclusive c14n,
//! SHA-256), KeyInfo holding the signer and its CA (the root is the trust
//! anchor), signing time 2029-06-01T08:00:00+07:00.  RSA PKCS#1 v1.5
//! signatures are deterministic; ECDSA ones are not (ring draws a random
//! nonce), so the ECDSA file differs from one generation to the next in its
//! SignatureValue only.  The files are written once to
//! `target/bench-verify/` and both benchmarks (hoso and the libxmlsec1 peer)
//! read the very same bytes.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use hoso_dsig::{SignOptions, SigningKey};
use hoso_pki::{Certificate, Timestamp};

/// One document of the standard set.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// File name under the output directory.
    pub name: &'static str,
    /// Target size of the unsigned form, in bytes.
    pub size: usize,
    /// The signer, a stem under `certs/test`.
    pub signer: &'static str,
    /// The signer's CA (also in KeyInfo), a stem under `certs/test`.
    pub ca: &'static str,
}

/// The standard documents: two small forms (the same unsigned bytes) signed
/// with RSA-2048 and ECDSA P-256, and a large one signed with RSA-2048.
pub const STANDARD: [Spec; 3] = [
    Spec {
        name: "form-5k-rsa.xml",
        size: 5_000,
        signer: "signers/person-cccd",
        ca: "ca/ca1",
    },
    Spec {
        name: "form-5k-ecdsa.xml",
        size: 5_000,
        signer: "signers/person-cmnd",
        ca: "ca/ca2",
    },
    Spec {
        name: "form-10m-rsa.xml",
        size: 10_000_000,
        signer: "signers/person-cccd",
        ca: "ca/ca1",
    },
];

/// The seed of every standard form.
pub const SEED: u64 = 0x686f_736f_7666_0001;

/// `certs/test` of the workspace.
pub fn test_pki() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../certs/test")
}

/// The trust anchor of the TEST PKI.
pub fn root_pem() -> PathBuf {
    test_pki().join("ca/root.pem")
}

/// The verification time of the benchmark, inside every TEST certificate's
/// validity.
pub fn verification_time() -> Timestamp {
    Timestamp::parse_rfc3339("2030-01-01T00:00:00Z").expect("a valid time")
}

/// The default output directory: `target/bench-verify/` of the workspace
/// (`$CARGO_TARGET_DIR/bench-verify` when that is set at run time).
pub fn default_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) => PathBuf::from(t).join("bench-verify"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-verify"),
    }
}

fn read_pki(path: &str) -> Result<Vec<u8>, String> {
    let full = test_pki().join(path);
    std::fs::read(&full).map_err(|e| format!("{}: {e}", full.display()))
}

fn certificate(stem: &str) -> Result<Certificate, String> {
    let mut certs = Certificate::from_pem(&read_pki(&format!("{stem}.pem"))?)
        .map_err(|e| format!("{stem}.pem: {e}"))?;
    Ok(certs.remove(0))
}

/// Signs `form` as `spec` says.
pub fn sign(form: &[u8], spec: &Spec) -> Result<Vec<u8>, String> {
    let key = SigningKey::from_pem(&read_pki(&format!("{}.key.pem", spec.signer))?)
        .map_err(|e| format!("{}: {e}", spec.signer))?;
    let options = SignOptions::new(
        vec![certificate(spec.signer)?, certificate(spec.ca)?],
        Timestamp::parse_rfc3339("2029-06-01T08:00:00+07:00").expect("a valid time"),
    );
    hoso_dsig::sign_enveloped(form, &key, &options).map_err(|e| format!("{}: {e}", spec.name))
}

/// A standard document, its untrusted CA certificate (PEM) and its size.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The signed document.
    pub path: PathBuf,
    /// The PEM file of the signer's CA (for libxmlsec1's `--untrusted-pem`).
    pub ca_pem: PathBuf,
}

/// Writes the standard documents into `dir` where a file is missing, and
/// returns them in the order of [`STANDARD`].
pub fn ensure(dir: &Path) -> Result<Vec<Generated>, String> {
    let io = |e: std::io::Error| format!("{}: {e}", dir.display());
    std::fs::create_dir_all(dir).map_err(io)?;
    let dir = &dir.canonicalize().map_err(io)?;
    let pki = test_pki().canonicalize().map_err(io)?;
    let mut out = Vec::new();
    for spec in &STANDARD {
        let path = dir.join(spec.name);
        if !path.exists() {
            let signed = sign(&form(spec.size, SEED), spec)?;
            // Write then rename: an interrupted run leaves no truncated file
            // that a later run would take as complete.
            let tmp = path.with_extension("xml.tmp");
            std::fs::write(&tmp, &signed).map_err(io)?;
            std::fs::rename(&tmp, &path).map_err(io)?;
        }
        out.push(Generated {
            path,
            ca_pem: pki.join(format!("{}.pem", spec.ca)),
        });
    }
    Ok(out)
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
}

const PEOPLE: &[&str] = &[
    "Nguyễn Thị Minh Khai",
    "Trần Văn Bình",
    "Lê Hoàng Phương Anh",
    "Phạm Quốc Việt",
    "Hoàng Thị Thu Hằng",
    "Đặng Ngọc Ánh",
];

const PLACES: &[&str] = &[
    "Tổ 7, phường Phan Thiết, thành phố Tuyên Quang, tỉnh Tuyên Quang",
    "Thôn Yên Phú, xã Thắng Quân, huyện Yên Sơn, tỉnh Tuyên Quang",
    "Số 12, phố Hàng Bài, phường Tràng Tiền, quận Hoàn Kiếm, Hà Nội",
    "Lô C2, khu công nghiệp Đình Vũ, quận Hải An, Hải Phòng",
];

const WELLS: &[&str] = &["GK1", "GK2", "GK3", "GK4A", "GK4B", "GK5"];

const OBSERVERS: &[&str] = &[
    "Tổ quan trắc số 1",
    "Tổ quan trắc số 2",
    "Trạm quan trắc tự động",
    "Đơn vị tư vấn độc lập",
];

const NOTES: &[&str] = &[
    "Vận hành bình thường, không có sự cố",
    "Bơm dừng 2 giờ để bảo dưỡng định kỳ",
    "Mực nước hạ thấp < 0,5 m so với kỳ trước & trong giới hạn cho phép",
    "Mẫu nước gửi phòng thí nghiệm VILAS số 1234",
    "Lưu lượng đo bằng đồng hồ điện từ, sai số ±2%",
    "Trời mưa lớn, mực nước tĩnh dâng",
];

/// One form of about `target` bytes (never much less; at most one record
/// more).
pub fn form(target: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut s = String::with_capacity(target + 4096);
    let number = 1 + rng.below(999_999);
    let _ = write!(
        s,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- Báo cáo tình hình khai thác, sử dụng nước dưới đất: tài liệu mẫu sinh tự động cho đo hiệu năng xác minh chữ ký -->
<BaoCao xmlns="urn:hoso:bench:khai-thac-nuoc:1.0" xmlns:ct="urn:hoso:bench:chung:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" Id="baocao-{number:06}" xsi:schemaLocation="urn:hoso:bench:khai-thac-nuoc:1.0 bao-cao-1.0.xsd">
  <ThongTinChung>
    <ct:MauSo>Mẫu 38</ct:MauSo>
    <ct:TenMau>Báo cáo tình hình khai thác, sử dụng nước dưới đất</ct:TenMau>
    <ct:KyBaoCao nam="2029" quy="{quarter}">Quý {quarter} năm 2029</ct:KyBaoCao>
    <ct:CoQuanTiepNhan>Sở Tài nguyên và Môi trường tỉnh Tuyên Quang</ct:CoQuanTiepNhan>
    <ct:NgayLap>2029-{month:02}-{day:02}</ct:NgayLap>
  </ThongTinChung>
  <ToChucCaNhan loai="caNhan">
    <ct:HoTen>{person}</ct:HoTen>
    <ct:CCCD>001203004567</ct:CCCD>
    <ct:NgayCap>2021-04-15</ct:NgayCap>
    <ct:NoiCap>Cục Cảnh sát quản lý hành chính về trật tự xã hội</ct:NoiCap>
    <ct:DiaChi>{place}</ct:DiaChi>
    <ct:DienThoai>0912 {phone:06}</ct:DienThoai>
    <ct:ThuDienTu>khai.nguyen@example.vn</ct:ThuDienTu>
  </ToChucCaNhan>
  <GiayPhep so="{licence}/GP-STNMT" ngayCap="2027-02-{day:02}">
    <ct:MucDich>Cấp nước sinh hoạt &amp; sản xuất nông nghiệp</ct:MucDich>
    <ct:ViTri>{place_licence}</ct:ViTri>
    <ct:TangChuaNuoc>Tầng chứa nước lỗ hổng Pleistocen (qp)</ct:TangChuaNuoc>
    <ct:LuuLuongChoPhep donVi="m³/ngày đêm">2500</ct:LuuLuongChoPhep>
    <ct:ThoiHan>2027-02-{day:02}/2037-02-{day:02}</ct:ThoiHan>
  </GiayPhep>
  <SoLieuQuanTrac>
"#,
        quarter = 1 + rng.below(4),
        month = 1 + rng.below(12),
        day = 1 + rng.below(28),
        person = rng.pick(PEOPLE),
        place = rng.pick(PLACES),
        phone = rng.below(1_000_000),
        licence = 10 + rng.below(990),
        place_licence = rng.pick(PLACES),
    );

    // The part after the records is about this long; stop adding records
    // when the total would reach the target.
    const TAIL: usize = 680;
    let mut record = 0u64;
    let mut total = 0u64;
    while record == 0 || s.len() + TAIL < target {
        record += 1;
        let flow = 1_200 + rng.below(1_300);
        total += flow;
        if record.is_multiple_of(10) {
            let _ = writeln!(
                s,
                "    <!-- Bản ghi {record}: {} -->",
                rng.pick(NOTES).replace('&', "và").replace('<', "≤")
            );
        }
        // The extension prefix appears on about one record in four:
        // exclusive canonicalization declares it on each such record.
        let ext = rng.chance(25);
        let ext_decl = if ext {
            r#" xmlns:qt="urn:hoso:bench:quan-trac:mo-rong""#
        } else {
            ""
        };
        let _ = write!(
            s,
            r#"    <BanGhi STT="{record}" gieng="{well}"{ext_decl}>
      <ct:Ngay>2029-{month:02}-{day:02}</ct:Ngay>
      <ct:LuuLuong donVi="m³/ngày đêm">{flow}</ct:LuuLuong>
      <ct:MucNuocTinh donVi="m">{static_level}.{static_cm:02}</ct:MucNuocTinh>
      <ct:MucNuocDong donVi="m">{dynamic_level}.{dynamic_cm:02}</ct:MucNuocDong>
      <ct:NguoiDo>{observer}</ct:NguoiDo>
"#,
            well = rng.pick(WELLS),
            month = 1 + rng.below(12),
            day = 1 + rng.below(28),
            static_level = 3 + rng.below(10),
            static_cm = rng.below(100),
            dynamic_level = 14 + rng.below(20),
            dynamic_cm = rng.below(100),
            observer = rng.pick(OBSERVERS),
        );
        if ext {
            let _ = writeln!(
                s,
                r#"      <qt:ChatLuong pH="{}.{}" doDuc="{}" ghiChu="Lấy mẫu theo TCVN 6663-11:2011 &quot;nước ngầm&quot;">Đạt QCVN 09-MT:2023&#x2F;BTNMT</qt:ChatLuong>"#,
                6 + rng.below(2),
                rng.below(10),
                rng.below(5),
            );
        }
        if rng.chance(30) {
            let _ = writeln!(
                s,
                "      <ct:GhiChu><![CDATA[{}]]></ct:GhiChu>",
                rng.pick(NOTES)
            );
        }
        s.push_str("    </BanGhi>\n");
    }
    let _ = write!(
        s,
        r#"  </SoLieuQuanTrac>
  <TongHop>
    <ct:SoBanGhi>{record}</ct:SoBanGhi>
    <ct:TongLuuLuong donVi="m³">{total}</ct:TongLuuLuong>
    <ct:DanhGia>Khai thác trong giới hạn giấy phép; không phát hiện sụt lún, nhiễm mặn.</ct:DanhGia>
  </TongHop>
  <TaiLieuKemTheo>
    <ct:TaiLieu so="1">Kết quả phân tích chất lượng nước (bản sao điện tử)</ct:TaiLieu>
    <ct:TaiLieu so="2">Sơ đồ vị trí công trình khai thác, tỷ lệ 1:10.000</ct:TaiLieu>
  </TaiLieuKemTheo>
  <CamKet>Tôi xin cam đoan các thông tin trên là đúng sự thật và chịu trách nhiệm trước pháp luật.</CamKet>
  <NoiLap ngay="2029-06-01">Tuyên Quang</NoiLap>
</BaoCao>
"#
    );
    s.into_bytes()
}
