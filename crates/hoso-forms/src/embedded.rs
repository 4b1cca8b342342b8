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

forms!["tnmt-02-khai-thac-nuoc-duoi-dat",];
