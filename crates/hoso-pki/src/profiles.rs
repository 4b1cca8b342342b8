//! The named trust profiles, compiled in so that a verifier (the `hoso`
//! command, the service) works from any directory without files.
//!
//! - `demo`: the TEST root of `certs/test` only.  Never a real signature.
//! - `national`, `government`: the real Vietnamese roots and CA certificates
//!   of `certs/trust/` (see its MANIFEST.md).  Self-signed certificates
//!   become trust anchors; the others are known intermediates, trusted only
//!   through a path to one of those roots.
//! - `received`: `national` and `government` together, the default for
//!   documents received from elsewhere (`--all`).

use crate::{Certificate, TrustStore};

/// Lists each PEM file of one `certs/trust/` folder once, as
/// `(file name, bytes)`.
macro_rules! trust_folder {
    ($folder:literal: $($file:literal),+ $(,)?) => {
        &[$((
            $file,
            include_bytes!(concat!("../../../certs/trust/", $folder, "/", $file)) as &[u8],
        )),+]
    };
}

/// The TEST national root of `certs/test`.
const DEMO_ROOT: &[u8] = include_bytes!("../../../certs/test/ca/root.pem");

/// `certs/trust/national/`.
pub const NATIONAL: &[(&str, &[u8])] = trust_folder!("national":
    "BkavCA.pem",
    "CA2.pem",
    "FPT_Certification_Authority.pem",
    "MIC_National_Root_CA.pem",
    "NEWTEL_CA.pem",
    "SAFE_CA.pem",
    "SmartSign.pem",
    "VIETNAM_NATIONAL_ROOT_CA_RS.pem",
    "VNPT_CA_SHA2.pem",
    "VNPT_Certification_Authority.pem",
    "Vietnam_National_Root_CA.pem",
    "Vietnam_National_Root_CA_G3.pem",
    "Viettel_CA.pem",
);

/// `certs/trust/government/`.
pub const GOVERNMENT: &[(&str, &[u8])] = trust_folder!("government":
    "CA_phuc_vu_cac_co_quan_Nha_nuoc_G2.pem",
    "Co_quan_chung_thuc_so_Bo_Cong_an.pem",
    "Co_quan_chung_thuc_so_Bo_Ngoai_giao.pem",
    "Co_quan_chung_thuc_so_Bo_Tai_chinh.pem",
    "Co_quan_chung_thuc_so_Chinh_phu.pem",
    "Co_quan_chung_thuc_so_Dang_Cong_san.pem",
    "Co_quan_chung_thuc_so_chuyen_dung_Chinh_phu_RootCA.pem",
    "RootCA_chuyen_dung_Chinh_phu_G2.pem",
);

/// Which compiled-in trust store to verify against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// The TEST root of certs/test (demonstrations and tests only).
    Demo,
    /// The national root CA generations and the licensed public CAs.
    National,
    /// The Government Cipher Committee roots and their subordinate CAs.
    Government,
    /// national + government: documents received from elsewhere.
    Received,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 4] = [
        Profile::Demo,
        Profile::National,
        Profile::Government,
        Profile::Received,
    ];

    /// The profile's name: `demo`, `national`, `government`, `received`.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Demo => "demo",
            Profile::National => "national",
            Profile::Government => "government",
            Profile::Received => "received",
        }
    }

    /// The profile of a name.
    ///
    /// ```
    /// use hoso_pki::profiles::Profile;
    /// let mut store = hoso_pki::TrustStore::new();
    /// Profile::from_name("national").unwrap().load_into(&mut store);
    /// assert!(Profile::from_name("nope").is_none());
    /// ```
    pub fn from_name(name: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Adds the profile's certificates to `store`: self-signed ones as
    /// anchors, the others as known intermediates.
    pub fn load_into(self, store: &mut TrustStore) {
        let folders: &[&[(&str, &[u8])]] = match self {
            Profile::Demo => {
                for cert in Certificate::from_pem(DEMO_ROOT).expect("the demo root parses") {
                    store.add_anchor(cert);
                }
                return;
            }
            Profile::National => &[NATIONAL],
            Profile::Government => &[GOVERNMENT],
            Profile::Received => &[NATIONAL, GOVERNMENT],
        };
        for (name, pem) in folders.iter().copied().flatten() {
            // Checked by the tests below and by hoso-pki's trust_profiles.
            for cert in Certificate::from_pem(pem)
                .unwrap_or_else(|e| panic!("compiled-in certs/trust/{name}: {e}"))
            {
                if cert.is_self_issued() {
                    store.add_anchor(cert);
                } else {
                    store.add_intermediate(cert);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every PEM file in the folder is compiled in, and nothing else.
    #[test]
    fn the_lists_match_the_folders() {
        for (folder, list) in [("national", NATIONAL), ("government", GOVERNMENT)] {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../certs/trust/");
            let mut files: Vec<String> = std::fs::read_dir(format!("{dir}{folder}"))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.ends_with(".pem"))
                .collect();
            files.sort();
            let listed: Vec<&str> = list.iter().map(|(n, _)| *n).collect();
            assert_eq!(files, listed, "{folder}");
        }
    }

    #[test]
    fn every_profile_loads() {
        for p in [
            Profile::Demo,
            Profile::National,
            Profile::Government,
            Profile::Received,
        ] {
            let mut store = TrustStore::new();
            p.load_into(&mut store);
        }
        for (name, pem) in NATIONAL.iter().chain(GOVERNMENT) {
            let certs = Certificate::from_pem(pem).unwrap();
            assert_eq!(certs.len(), 1, "{name}");
            assert!(!certs[0].subject().contains("TEST"), "{name}");
        }
    }
}
