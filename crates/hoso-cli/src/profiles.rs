//! The `--profile` argument: the compiled-in trust profiles of
//! `hoso_pki::profiles`, as command-line values.

use clap::ValueEnum;
use hoso_pki::TrustStore;
use hoso_pki::profiles::Profile as Stored;

/// Which compiled-in trust store to verify against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
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
    /// Adds the profile's certificates to `store`.
    pub fn load_into(self, store: &mut TrustStore) {
        let stored = match self {
            Profile::Demo => Stored::Demo,
            Profile::National => Stored::National,
            Profile::Government => Stored::Government,
            Profile::Received => Stored::Received,
        };
        stored.load_into(store);
    }
}
