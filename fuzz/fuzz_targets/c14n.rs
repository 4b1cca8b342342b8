//! Canonicalization: the first `HEADER_LEN` bytes choose the method, the
//! selection and the PrefixList, the rest is the document.  Checks no panic,
//! idempotence, that the output parses, and that chunked and failing sinks
//! behave; see `crates/hoso-xml/tests/common/fuzz_props.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/hoso-xml/tests/common/fuzz_props.rs"]
mod fuzz_props;

fuzz_target!(|data: &[u8]| fuzz_props::check_c14n(data));
