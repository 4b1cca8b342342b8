//! Every refusal of the reader: the typed error and its line and column.

use hoso_xml::{Error, ErrorKind, Limit, Limits, Reader};

fn read_all(input: &[u8], limits: Limits) -> Result<usize, Error> {
    let mut reader = Reader::new(input, limits)?;
    let mut events = 0;
    while reader.next()?.is_some() {
        events += 1;
    }
    Ok(events)
}

#[track_caller]
fn refused(input: &[u8], kind: ErrorKind, line: usize, column: usize) {
    let err = read_all(input, Limits::default())
        .expect_err(&format!("accepted {:?}", String::from_utf8_lossy(input)));
    assert_eq!(err.kind, kind, "input {:?}", String::from_utf8_lossy(input));
    assert_eq!(
        (err.position.line, err.position.column),
        (line, column),
        "position of {kind:?} in {:?}",
        String::from_utf8_lossy(input)
    );
}

fn syntax() -> ErrorKind {
    ErrorKind::Syntax(String::new())
}

/// Syntax errors carry a free-text reason; compare only the variant.
#[track_caller]
fn refused_syntax(input: &[u8], line: usize, column: usize) {
    let err = read_all(input, Limits::default()).expect_err("accepted");
    assert!(
        matches!(err.kind, ErrorKind::Syntax(_)),
        "expected {:?}, got {:?} for {:?}",
        syntax(),
        err.kind,
        String::from_utf8_lossy(input)
    );
    assert_eq!(
        (err.position.line, err.position.column),
        (line, column),
        "{}",
        err
    );
}

#[test]
fn accepts_well_formed_documents() {
    for doc in [
        &b"<a/>"[..],
        b"\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8' standalone='yes'?><a/>",
        b"<?xml version=\"1.0\"?>\n<!-- c --><?pi data?>\n<a  x = 'y'\n/>\n<!--after-->",
        b"<p:a xmlns:p='urn:p' p:x='1' x='2'><b xml:lang='vi'>&lt;&#x1EA1;&#7841;</b></p:a>",
        b"<a><![CDATA[<not markup> ]] ]]></a>",
        b"<a xmlns:xml='http://www.w3.org/XML/1998/namespace'/>",
        b"<a xmlns='urn:a'><b xmlns=''/></a>",
        "<Tên_đơn loại='mẫu'>Đơn đề nghị</Tên_đơn>".as_bytes(),
        b"<a>]]</a>",
    ] {
        read_all(doc, Limits::default())
            .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(doc)));
    }
}

#[test]
fn refuses_doctype_and_entities() {
    refused(b"<!DOCTYPE a><a/>", ErrorKind::DoctypeRefused, 1, 1);
    refused(
        b"<?xml version='1.0'?>\n<!doctype a [<!ENTITY x 'y'>]><a>&x;</a>",
        ErrorKind::DoctypeRefused,
        2,
        1,
    );
    refused(b"<a>&x;</a>", ErrorKind::UnknownEntity("x".into()), 1, 4);
    refused(b"<a b='&x;'/>", ErrorKind::UnknownEntity("x".into()), 1, 7);
    refused(b"<a>&#0;</a>", ErrorKind::InvalidCharRef("#0".into()), 1, 4);
    refused(
        b"<a>&#xD800;</a>",
        ErrorKind::InvalidCharRef("#xD800".into()),
        1,
        4,
    );
    refused(
        b"<a>&#xFFFE;</a>",
        ErrorKind::InvalidCharRef("#xFFFE".into()),
        1,
        4,
    );
    refused(
        b"<a>&#x110000;</a>",
        ErrorKind::InvalidCharRef("#x110000".into()),
        1,
        4,
    );
    refused(
        b"<a b='&#1;'/>",
        ErrorKind::InvalidCharRef("#1".into()),
        1,
        7,
    );
    refused_syntax(b"<a>& b</a>", 1, 4);
    refused_syntax(b"<a b='&amp'/>", 1, 7);
}

#[test]
fn refuses_bad_characters_and_encodings() {
    refused(b"<a>x\xC3\x28</a>", ErrorKind::InvalidUtf8, 1, 5);
    refused(b"<a>\n\xFF</a>", ErrorKind::InvalidUtf8, 2, 1);
    refused(b"<a>x\0y</a>", ErrorKind::ForbiddenChar(0), 1, 5);
    refused(b"<a b='\x01'/>", ErrorKind::ForbiddenChar(1), 1, 7);
    refused(b"<a><!--\x1b--></a>", ErrorKind::ForbiddenChar(0x1B), 1, 8);
    refused(
        "<a>\u{FFFF}</a>".as_bytes(),
        ErrorKind::ForbiddenChar(0xFFFF),
        1,
        4,
    );
    refused(b"<a\0/>", ErrorKind::InvalidName("a\0".into()), 1, 2);
    refused(
        b"\xFF\xFE<\0a\0/\0>\0",
        ErrorKind::UnsupportedEncoding("UTF-16".into()),
        1,
        1,
    );
    refused(
        b"<?xml version='1.0' encoding='windows-1258'?><a/>",
        ErrorKind::UnsupportedEncoding("windows-1258".into()),
        1,
        21,
    );
}

#[test]
fn refuses_malformed_structure() {
    refused(
        b"<a>\n<b></c></a>",
        ErrorKind::MismatchedTag {
            expected: "b".into(),
            found: "c".into(),
        },
        2,
        4,
    );
    refused(
        b"<a></a></b>",
        ErrorKind::UnexpectedEndTag("b".into()),
        1,
        8,
    );
    refused(b"<a><b>", ErrorKind::UnclosedElement("b".into()), 1, 7);
    refused(b"", ErrorKind::NoRootElement, 1, 1);
    refused(b"  <!-- only -->", ErrorKind::NoRootElement, 1, 16);
    refused(
        b"<a/><b/>",
        ErrorKind::ContentOutsideRoot("a second document element"),
        1,
        5,
    );
    refused(
        b"<a/>\ntext",
        ErrorKind::ContentOutsideRoot("text is not allowed here"),
        2,
        1,
    );
    refused(
        b"x<a/>",
        ErrorKind::ContentOutsideRoot("text is not allowed here"),
        1,
        1,
    );
    refused(
        b"<a/>&amp;",
        ErrorKind::ContentOutsideRoot("a reference is not allowed here"),
        1,
        5,
    );
    refused(
        b"<![CDATA[x]]><a/>",
        ErrorKind::ContentOutsideRoot("a CDATA section is not allowed here"),
        1,
        1,
    );
    refused(
        b" <?xml version='1.0'?><a/>",
        ErrorKind::BadDeclaration(
            "the XML declaration is allowed only at the very start of the document",
        ),
        1,
        2,
    );
    refused(
        b"<?xml version='1.1'?><a/>",
        ErrorKind::BadDeclaration("only XML version 1.0 is supported"),
        1,
        7,
    );
    refused(
        b"<?xml encoding='UTF-8'?><a/>",
        ErrorKind::BadDeclaration("version must come first"),
        1,
        7,
    );
    refused(
        b"<a><?xml-stylesheet x?><?XmL y?></a>",
        ErrorKind::BadDeclaration(
            "the XML declaration is allowed only at the very start of the document",
        ),
        1,
        24,
    );
    refused(
        b"<a><?p:q x?></a>",
        ErrorKind::InvalidName("p:q".into()),
        1,
        6,
    );
    refused_syntax(b"<a>x]]>y</a>", 1, 5);
    refused_syntax(b"<a><!-- a -- b --></a>", 1, 11);
    refused_syntax(b"<a><!-- a ---></a>", 1, 11);
    refused_syntax(b"<a b='1'c='2'/>", 1, 9);
    refused_syntax(b"<a b=1/>", 1, 6);
    refused_syntax(b"<a b></a>", 1, 5);
    refused_syntax(b"<a b='<'/>", 1, 7);
    refused_syntax(b"<a b='1", 1, 1);
    refused(b"<1a/>", ErrorKind::InvalidName("1a".into()), 1, 2);
    refused(
        b"<a:b:c xmlns:a='urn:a'/>",
        ErrorKind::InvalidName("a:b:c".into()),
        1,
        2,
    );
    refused(b"<a :b='1'/>", ErrorKind::InvalidName(":b".into()), 1, 4);
}

#[test]
fn refuses_namespace_errors() {
    refused(b"<p:a/>", ErrorKind::UndeclaredPrefix("p".into()), 1, 2);
    refused(
        b"<a>\n <b q:x='1'/></a>",
        ErrorKind::UndeclaredPrefix("q".into()),
        2,
        5,
    );
    refused(
        b"<a xmlns:p='urn:u' xmlns:q='urn:u' p:x='1' q:x='2'/>",
        ErrorKind::DuplicateAttribute("q:x".into()),
        1,
        44,
    );
    refused(
        b"<a x='1' x='2'/>",
        ErrorKind::DuplicateAttribute("x".into()),
        1,
        10,
    );
    refused(
        b"<a xmlns:p='urn:1' xmlns:p='urn:2'/>",
        ErrorKind::DuplicateAttribute("xmlns:p".into()),
        1,
        20,
    );
    refused(
        b"<a xmlns:p=''/>",
        ErrorKind::EmptyPrefixBinding("p".into()),
        1,
        4,
    );
    refused(
        b"<a xmlns:xml='urn:x'/>",
        ErrorKind::ReservedNamespace("the xml prefix must not be bound to another namespace name"),
        1,
        4,
    );
    refused(
        b"<a xmlns:x='http://www.w3.org/XML/1998/namespace'/>",
        ErrorKind::ReservedNamespace("the xml namespace name must not be bound to another prefix"),
        1,
        4,
    );
    refused(
        b"<a xmlns='http://www.w3.org/XML/1998/namespace'/>",
        ErrorKind::ReservedNamespace("the xml namespace name must not be bound to another prefix"),
        1,
        4,
    );
    refused(
        b"<a xmlns:xmlns='urn:x'/>",
        ErrorKind::ReservedNamespace("the xmlns prefix must not be declared"),
        1,
        4,
    );
    refused(
        b"<a xmlns:p='http://www.w3.org/2000/xmlns/'/>",
        ErrorKind::ReservedNamespace("the xmlns namespace name must not be bound"),
        1,
        4,
    );
    refused(
        b"<xmlns:a/>",
        ErrorKind::ReservedNamespace("an element name must not use the xmlns prefix"),
        1,
        2,
    );
    // A prefix declared on a sibling is out of scope.
    refused(
        b"<r><a xmlns:p='urn:p'/><p:b/></r>",
        ErrorKind::UndeclaredPrefix("p".into()),
        1,
        25,
    );
}

#[test]
fn enforces_every_limit_with_its_name() {
    let small = Limits {
        max_document_bytes: 1000,
        max_depth: 3,
        max_attributes: 2,
        max_name_bytes: 8,
        max_text_bytes: 10,
        max_nodes: 6,
    };
    let limit_of = |input: &[u8]| match read_all(input, small).unwrap_err().kind {
        ErrorKind::LimitExceeded { limit, max } => (limit, max),
        other => panic!("expected a limit, got {other:?}"),
    };
    assert_eq!(limit_of(&[b' '; 1001]), (Limit::DocumentSize, 1000));
    assert_eq!(limit_of(b"<a><b><c><d/></c></b></a>"), (Limit::Depth, 3));
    assert_eq!(
        limit_of(b"<a x='1' y='2' z='3'/>"),
        (Limit::AttributesPerElement, 2)
    );
    assert_eq!(
        limit_of(b"<a xmlns:p='urn:p' xmlns:q='urn:q' xmlns:r='urn:r'/>"),
        (Limit::AttributesPerElement, 2)
    );
    assert_eq!(limit_of(b"<abcdefghi/>"), (Limit::NameLength, 8));
    assert_eq!(limit_of(b"<a abcdefghi='1'/>"), (Limit::NameLength, 8));
    assert_eq!(limit_of(b"<a><?abcdefghi?></a>"), (Limit::NameLength, 8));
    assert_eq!(limit_of(b"<a>0123456789x</a>"), (Limit::TextSize, 10));
    // A text node is counted whole, across references and CDATA sections.
    assert_eq!(
        limit_of(b"<a>01234&amp;<![CDATA[56789]]></a>"),
        (Limit::TextSize, 10)
    );
    assert_eq!(limit_of(b"<a x='0123456789x'/>"), (Limit::TextSize, 10));
    assert_eq!(
        limit_of(b"<a><!--0123456789x--></a>"),
        (Limit::TextSize, 10)
    );
    assert_eq!(
        limit_of(b"<a><b/><b/><b/><b/><b/><b/></a>"),
        (Limit::NodeCount, 6)
    );

    let err = read_all(b"<a>\n<b><c><d/></c></b></a>", small).unwrap_err();
    assert_eq!((err.position.line, err.position.column), (2, 7));
    assert_eq!(
        err.to_string(),
        "2:7: limit exceeded: element nesting depth is over the limit 3 (max_depth)"
    );
}

#[test]
fn attribute_values_are_normalized() {
    let mut reader = Reader::new(
        b"<a x='a\tb\nc\r\nd\re' y='&#9;&#10;&#13;&lt;' z='plain'/>",
        Limits::default(),
    )
    .unwrap();
    let Some(hoso_xml::Event::Start(e)) = reader.next().unwrap() else {
        panic!("expected a start tag")
    };
    assert_eq!(e.attribute("", "x"), Some("a b c d e"));
    assert_eq!(e.attribute("", "y"), Some("\t\n\r<"));
    assert!(matches!(
        e.attributes()
            .find(|a| a.local_name() == "z")
            .unwrap()
            .value_cow(),
        std::borrow::Cow::Borrowed("plain")
    ));
}

#[test]
fn text_line_ends_are_normalized() {
    let mut reader = Reader::new(b"<a>1\r\n2\r3&#13;\n</a>", Limits::default()).unwrap();
    let mut text = String::new();
    while let Some(event) = reader.next().unwrap() {
        if let hoso_xml::Event::Text(t) = event {
            text.push_str(t);
        }
    }
    assert_eq!(text, "1\n2\n3\r\n");
}
