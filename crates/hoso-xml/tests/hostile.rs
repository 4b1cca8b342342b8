//! Hostile inputs: each is refused with the right typed error, without a
//! panic or stack overflow, and with allocations bounded independently of the
//! input size (measured by a counting allocator). Elapsed times are printed
//! for the record (`--nocapture`), never asserted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use hoso_xml::{Canonicalizer, ErrorKind, Limit, Limits, Method, Reader, Selection};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Tests in this file measure process-wide allocation: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `f` and returns its result with the bytes allocated at the peak
/// beyond what was live before.
fn measured<T>(name: &str, f: impl FnOnce() -> T) -> (T, usize) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let start = Instant::now();
    let result = f();
    let elapsed = start.elapsed();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    println!("{name}: {elapsed:?}, peak allocation {peak} bytes");
    (result, peak)
}

fn read_to_end(input: &[u8], limits: Limits) -> Result<(), hoso_xml::Error> {
    let mut reader = Reader::new(input, limits)?;
    while reader.next()?.is_some() {}
    Ok(())
}

const KIB: usize = 1024;

#[track_caller]
fn refused_within(name: &str, input: &[u8], limits: Limits, bound: usize) -> hoso_xml::Error {
    let (result, peak) = measured(name, || read_to_end(input, limits));
    let err = result.expect_err(name);
    assert!(
        peak < bound,
        "{name}: {peak} bytes allocated (bound {bound})"
    );
    // Canonicalization refuses it the same way.
    let (c14n, peak) = measured(name, || {
        Canonicalizer::new(Method::from_name("c14n").unwrap()).write(
            input,
            Selection::document(),
            &limits,
            std::io::sink(),
        )
    });
    assert_eq!(c14n.unwrap_err().kind, err.kind, "{name}");
    assert!(
        peak < bound + 64 * KIB,
        "{name}: c14n allocated {peak} bytes"
    );
    err
}

#[test]
fn entity_attacks_are_refused_at_the_doctype() {
    let _serial = SERIAL.lock().unwrap();
    let mut laughs =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        let prev = if i == 1 {
            "lol".to_string()
        } else {
            format!("lol{}", i - 1)
        };
        laughs.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!("&{prev};").repeat(10)
        ));
    }
    laughs.push_str("]>\n<lolz>&lol9;</lolz>");
    let xxe = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
    let external_dtd = "<!DOCTYPE r SYSTEM \"http://attacker.invalid/evil.dtd\"><r/>";
    let parameter = "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://attacker.invalid/p\"> %p;]><r/>";
    let quadratic = format!(
        "<!DOCTYPE q [<!ENTITY a \"{}\">]><q>{}</q>",
        "x".repeat(100_000),
        "&a;".repeat(100_000)
    );
    for (name, doc, line) in [
        ("billion laughs", laughs.as_str(), 2),
        ("external entity", xxe, 1),
        ("external DTD", external_dtd, 1),
        ("parameter entity", parameter, 1),
        ("quadratic blow-up", quadratic.as_str(), 1),
    ] {
        let err = refused_within(name, doc.as_bytes(), Limits::default(), 64 * KIB);
        assert_eq!(err.kind, ErrorKind::DoctypeRefused, "{name}");
        assert_eq!(err.position.line, line, "{name}");
    }
    // Without a DTD the same references are unknown entities, refused at the
    // first one.
    let refs = format!("<q>{}</q>", "&a;".repeat(1_000_000));
    let err = refused_within(
        "a million undeclared references",
        refs.as_bytes(),
        Limits::default(),
        64 * KIB,
    );
    assert_eq!(err.kind, ErrorKind::UnknownEntity("a".into()));
    assert_eq!(err.position.column, 4);
}

#[test]
fn deep_nesting_stops_at_the_depth_limit() {
    let _serial = SERIAL.lock().unwrap();
    let deep = "<a>".repeat(1_000_000);
    let err = refused_within(
        "1,000,000-deep nesting",
        deep.as_bytes(),
        Limits::default(),
        256 * KIB,
    );
    assert_eq!(
        err.kind,
        ErrorKind::LimitExceeded {
            limit: Limit::Depth,
            max: 256
        }
    );
    assert_eq!(err.position.offset, 256 * 3);
    // Also when the elements are closed and the nesting is namespaced.
    let deep = format!(
        "{}{}",
        "<p:a xmlns:p='urn:p'>".repeat(300),
        "</p:a>".repeat(300)
    );
    let err = refused_within(
        "300-deep namespaced nesting",
        deep.as_bytes(),
        Limits::default(),
        256 * KIB,
    );
    assert!(matches!(
        err.kind,
        ErrorKind::LimitExceeded {
            limit: Limit::Depth,
            ..
        }
    ));
}

#[test]
fn attribute_floods_stop_at_the_attribute_limit() {
    let _serial = SERIAL.lock().unwrap();
    let attrs: String = (0..100_000).map(|i| format!(" a{i}='{i}'")).collect();
    let doc = format!("<e{attrs}/>");
    let err = refused_within(
        "100,000 attributes",
        doc.as_bytes(),
        Limits::default(),
        256 * KIB,
    );
    assert_eq!(
        err.kind,
        ErrorKind::LimitExceeded {
            limit: Limit::AttributesPerElement,
            max: 256
        }
    );
    let decls: String = (0..100_000)
        .map(|i| format!(" xmlns:p{i}='urn:{i}'"))
        .collect();
    let doc = format!("<e{decls}/>");
    let err = refused_within(
        "100,000 namespace declarations",
        doc.as_bytes(),
        Limits::default(),
        256 * KIB,
    );
    assert!(matches!(
        err.kind,
        ErrorKind::LimitExceeded {
            limit: Limit::AttributesPerElement,
            ..
        }
    ));
    // The same expanded name twice, hidden behind two prefixes.
    let doc = "<e xmlns:a='urn:x' xmlns:b='urn:x' a:n='1' b:n='2'/>";
    let err = refused_within(
        "duplicate expanded names",
        doc.as_bytes(),
        Limits::default(),
        64 * KIB,
    );
    assert_eq!(err.kind, ErrorKind::DuplicateAttribute("b:n".into()));
}

#[test]
fn huge_text_and_documents_are_refused_by_size() {
    let _serial = SERIAL.lock().unwrap();
    // A text node over the 16 MiB text limit: refused without being copied.
    let mut doc = Vec::with_capacity(17 << 20);
    doc.extend_from_slice(b"<a>");
    doc.resize(3 + (16 << 20) + 1, b'x');
    doc.extend_from_slice(b"</a>");
    let err = refused_within("16 MiB + 1 text node", &doc, Limits::default(), 64 * KIB);
    assert_eq!(
        err.kind,
        ErrorKind::LimitExceeded {
            limit: Limit::TextSize,
            max: 16 << 20
        }
    );
    // A document claiming more than the size limit is refused before parsing.
    let limits = Limits {
        max_document_bytes: 1 << 20,
        ..Limits::default()
    };
    let err = refused_within("document over the size limit", &doc, limits, 4 * KIB);
    assert_eq!(
        err.kind,
        ErrorKind::LimitExceeded {
            limit: Limit::DocumentSize,
            max: 1 << 20
        }
    );
    // Node floods stop at the node limit.
    let many = format!("<a>{}</a>", "<b/>".repeat(200_000));
    let limits = Limits {
        max_nodes: 100_000,
        ..Limits::default()
    };
    let err = refused_within(
        "200,000 elements over a 100,000-node limit",
        many.as_bytes(),
        limits,
        64 * KIB,
    );
    assert!(matches!(
        err.kind,
        ErrorKind::LimitExceeded {
            limit: Limit::NodeCount,
            ..
        }
    ));
}

#[test]
fn bad_bytes_are_refused_where_they_are() {
    let _serial = SERIAL.lock().unwrap();
    let mut doc = b"<a>".to_vec();
    for _ in 0..10_000 {
        doc.extend_from_slice("<dòng>Nguyễn Văn A</dòng>\n".as_bytes());
    }
    let clean_len = doc.len();
    doc.extend_from_slice(b"<b>\xC0\xAF</b></a>");
    let err = refused_within(
        "invalid UTF-8 after 10,000 lines",
        &doc,
        Limits::default(),
        4 * KIB,
    );
    assert_eq!(err.kind, ErrorKind::InvalidUtf8);
    assert_eq!(err.position.offset, clean_len + 3);
    assert_eq!((err.position.line, err.position.column), (10_001, 4));

    doc.truncate(clean_len);
    doc.extend_from_slice(b"<b>x\0y</b></a>");
    let err = refused_within("a NUL byte", &doc, Limits::default(), 64 * KIB);
    assert_eq!(err.kind, ErrorKind::ForbiddenChar(0));
    assert_eq!((err.position.line, err.position.column), (10_001, 5));
}

#[test]
fn namespace_heavy_documents_stay_linear() {
    let _serial = SERIAL.lock().unwrap();
    // 200 levels, each declaring 200 prefixes, then leaves using the
    // outermost prefixes: lookups must not scan every binding in scope.
    let mut doc = String::new();
    for level in 0..200 {
        doc.push_str("<e");
        for p in 0..200 {
            doc.push_str(&format!(" xmlns:p{p}='urn:l{level}:{p}'"));
        }
        doc.push('>');
    }
    for _ in 0..2_000 {
        doc.push_str("<p0:leaf");
        for p in 0..200 {
            doc.push_str(&format!(" p{p}:a='1'"));
        }
        doc.push_str("/>");
    }
    for _ in 0..200 {
        doc.push_str("</e>");
    }
    for method in ["c14n", "exc-c14n"] {
        let (result, peak) = measured(
            &format!("{} KB namespace-heavy, {method}", doc.len() / 1000),
            || {
                Canonicalizer::new(Method::from_name(method).unwrap()).write(
                    doc.as_bytes(),
                    Selection::document(),
                    &Limits::default(),
                    std::io::sink(),
                )
            },
        );
        result.unwrap();
        // 40,000 bindings in scope is what this document is: the bound is
        // about those, not the document's size.
        assert!(peak < 8 << 20, "{method}: {peak} bytes");
    }
}

#[test]
fn canonicalization_memory_does_not_grow_with_the_document() {
    let _serial = SERIAL.lock().unwrap();
    let record = "<ct:Dong xmlns:ct='urn:hoso:ct' STT='1' xml:lang='vi'><ct:Ten>Phí thẩm định hồ sơ</ct:Ten><ct:SoTien>1500000</ct:SoTien><!-- ghi chú --><ct:GhiChu><![CDATA[a < b & c]]></ct:GhiChu></ct:Dong>\n";
    let mut peaks = Vec::new();
    for count in [1_000usize, 20_000] {
        let doc = format!(
            "<HoaDon xmlns='urn:hoso:hd'>{}</HoaDon>",
            record.repeat(count)
        );
        for method in Method::all() {
            let mut hashed = CountingSink(0);
            let (result, peak) = measured(
                &format!("{} MB, {}", doc.len() >> 20, method.name()),
                || {
                    Canonicalizer::new(method).write(
                        doc.as_bytes(),
                        Selection::document(),
                        &Limits::default(),
                        &mut hashed,
                    )
                },
            );
            result.unwrap();
            assert!(hashed.0 > doc.len() / 2);
            peaks.push((count, peak));
        }
    }
    let small = peaks
        .iter()
        .filter(|p| p.0 == 1_000)
        .map(|p| p.1)
        .max()
        .unwrap();
    let large = peaks
        .iter()
        .filter(|p| p.0 == 20_000)
        .map(|p| p.1)
        .max()
        .unwrap();
    assert!(
        large < 256 * KIB,
        "peak {large} bytes on a 20,000-record document"
    );
    assert!(
        large <= small + 16 * KIB,
        "memory grew with the document: {small} -> {large}"
    );
}

/// A sink that only counts bytes, standing in for a hasher.
struct CountingSink(usize);

impl Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
