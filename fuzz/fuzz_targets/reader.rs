//! The hardened reader on arbitrary bytes: no panic, every error inside the
//! input, and small limits only ever cut the default run short.  The checks
//! live in `crates/hoso-xml/tests/common/fuzz_props.rs`, shared with the
//! `fuzz_seeds` regression test.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/hoso-xml/tests/common/fuzz_props.rs"]
mod fuzz_props;

fuzz_target!(|data: &[u8]| fuzz_props::check_reader(data));
