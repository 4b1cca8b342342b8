//! The definition files compiled into the crate. A test checks that this
//! list and `schemas/forms/` hold the same files.

macro_rules! forms {
    ($($id:literal),* $(,)?) => {
        /// Each form's file name and text, in roadmap order.
        pub(crate) const FORMS: &[(&str, &str)] = &[
            $((concat!($id, ".json"), include_str!(concat!("../../../schemas/forms/", $id, ".json")))),*
        ];
    };
}

forms![
    "tnmt-01-tham-do-nuoc-duoi-dat",
    "tnmt-02-khai-thac-nuoc-duoi-dat",
    "tnmt-03-hanh-nghe-khoan-nuoc-duoi-dat",
    "tnmt-04-khai-thac-nuoc-mat",
    "tnmt-05-xa-nuoc-thai",
    "tnmt-06-xac-nhan-cong-trinh-bvmt",
    "tnmt-07-tham-do-khoang-san",
    "tnmt-08-khai-thac-khoang-san",
    "tnmt-09-khai-thac-tan-thu-khoang-san",
    "tnmt-10-dang-ky-dat-dai-to-chuc",
    "tnmt-11-cap-gcn-lan-dau-to-chuc",
    "vhttdl-12-the-huong-dan-vien-quoc-te",
    "vhttdl-13-the-huong-dan-vien-noi-dia",
    "vhttdl-14-xep-hang-luu-tru-1-2-sao",
    "vhttdl-15-xep-hang-luu-tru-dat-chuan",
    "vhttdl-16-giay-phep-karaoke",
    "vhttdl-17-thong-bao-bieu-dien-nghe-thuat",
    "vhttdl-18-thong-bao-san-pham-quang-cao",
    "gtvt-19-doi-giay-phep-lai-xe",
    "tp-20-ly-lich-tu-phap-so-1",
    "tp-21-ly-lich-tu-phap-so-2",
    "tp-22-ly-lich-tu-phap-so-1-co-quan",
    "tp-23-ly-lich-tu-phap-so-2-to-tung",
    "huyen-24-dang-ky-ho-kinh-doanh",
    "huyen-25-dang-ky-hop-tac-xa",
    "huyen-26-diem-tro-choi-dien-tu",
    "huyen-27-thay-doi-cai-chinh-ho-tich",
    "huyen-28-cap-lai-ban-chinh-giay-khai-sinh",
    "huyen-29-cap-ban-sao-giay-khai-sinh",
    "huyen-30-giay-phep-dang-ky-kinh-doanh",
    "huyen-31-cap-gcn-lan-dau-ho-gia-dinh",
];
