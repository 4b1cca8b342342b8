//! The examples of the Canonical XML 1.0 recommendation (section 3), the
//! Canonical XML 1.1 recommendation (section 3.8) and the Exclusive XML
//! Canonicalization recommendation (section 2.2), byte for byte.
//!
//! The reader refuses DOCTYPE, so examples that depend on a DTD are adapted;
//! each adaptation is stated next to the example.

use hoso_xml::{Canonicalizer, ErrorKind, Event, Limits, Method, Reader, Selection};

fn c14n(method: &str, input: &str, selection: Selection) -> String {
    let out = Canonicalizer::new(Method::from_name(method).unwrap())
        .to_vec(input.as_bytes(), selection, &Limits::default())
        .unwrap_or_else(|e| panic!("{method}: {e}"));
    String::from_utf8(out).unwrap()
}

fn whole(method: &str, input: &str) -> String {
    c14n(method, input, Selection::document())
}

/// The offset of the first element with this qualified name.
fn offset_of(input: &str, qname: &str) -> usize {
    let mut reader = Reader::new(input.as_bytes(), Limits::default()).unwrap();
    while let Some(event) = reader.next().unwrap() {
        if let Event::Start(e) = event
            && e.qname() == qname
        {
            return e.offset();
        }
    }
    panic!("no element {qname}");
}

// 3.1, adapted: the example's `<!DOCTYPE doc SYSTEM "doc.dtd">` is removed.
const PIS_AND_COMMENTS: &str = r#"<?xml version="1.0"?>

<?xml-stylesheet   href="doc.xsl"
   type="text/xsl"   ?>

<doc>Hello, world!<!-- Comment 1 --></doc>

<?pi-without-data     ?>

<!-- Comment 2 -->

<!-- Comment 3 -->
"#;

#[test]
fn c14n10_3_1_pis_comments_and_outside_of_document_element() {
    let without = "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>";
    let with = "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->";
    assert_eq!(whole("c14n", PIS_AND_COMMENTS), without);
    assert_eq!(whole("c14n-with-comments", PIS_AND_COMMENTS), with);
    assert_eq!(whole("c14n11", PIS_AND_COMMENTS), without);
    assert_eq!(whole("c14n11-with-comments", PIS_AND_COMMENTS), with);
    assert_eq!(whole("exc-c14n", PIS_AND_COMMENTS), without);
    assert_eq!(whole("exc-c14n-with-comments", PIS_AND_COMMENTS), with);
}

#[test]
fn c14n10_3_2_whitespace_in_document_content() {
    let input = "<doc>\n   <clean>   </clean>\n   <dirty>   A   B   </dirty>\n   <mixed>\n      A\n      <clean>   </clean>\n      B\n      <dirty>   A   B   </dirty>\n      C\n   </mixed>\n</doc>";
    for method in Method::all() {
        assert_eq!(whole(method.name(), input), input, "{}", method.name());
    }
}

// 3.3, adapted: the DTD declared a default `attr="default"` on e9, which
// without a DTD does not exist; the output lacks that attribute.
#[test]
fn c14n10_3_3_start_and_end_tags() {
    let input = r#"<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>"#;
    let expected = r#"<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>"#;
    assert_eq!(whole("c14n", input), expected);
    assert_eq!(whole("c14n11", input), expected);
}

// 3.4, adapted: without the DTD, `normNames` and `normId` are CDATA
// attributes like `norm`, so their values are not NMTOKENS/ID-normalized.
#[test]
fn c14n10_3_4_character_modifications_and_character_references() {
    let input = r#"<doc>
   <text>First line&#x0d;&#10;Second line</text>
   <value>&#x32;</value>
   <compute><![CDATA[value>"0" && value<"10" ?"valid":"error"]]></compute>
   <compute expr='value>"0" &amp;&amp; value&lt;"10" ?"valid":"error"'>valid</compute>
   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>
   <normNames attr='   A   &#x20;&#13;&#xa;&#9;   B   '/>
   <normId id=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>
</doc>"#;
    let expected = "<doc>
   <text>First line&#xD;
Second line</text>
   <value>2</value>
   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>
   <compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>
   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>
   <normNames attr=\"   A    &#xD;&#xA;&#x9;   B   \"></normNames>
   <normId id=\" '    &#xD;&#xA;&#x9;   ' \"></normId>
</doc>";
    for method in Method::all() {
        assert_eq!(whole(method.name(), input), expected, "{}", method.name());
    }
}

// 3.5 needs internal entities declared in a DTD: the reader refuses it.
#[test]
fn c14n10_3_5_entity_references_are_refused_with_the_dtd() {
    let input = r#"<!DOCTYPE doc [
<!ATTLIST doc attrExtEnt ENTITY #IMPLIED>
<!ENTITY ent1 "Hello">
<!ENTITY ent2 SYSTEM "world.txt">
<!ENTITY entExt SYSTEM "earth.gif" NDATA gif>
<!NOTATION gif SYSTEM "viewgif.exe">
]>
<doc attrExtEnt="entExt">
   &ent1;, &ent2;!
</doc>"#;
    let err = Canonicalizer::new(Method::from_name("c14n").unwrap())
        .to_vec(input.as_bytes(), Selection::document(), &Limits::default())
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::DoctypeRefused);
    assert_eq!((err.position.line, err.position.column), (1, 1));
    // Without the DTD, the references are to unknown entities.
    let err = Canonicalizer::new(Method::from_name("c14n").unwrap())
        .to_vec(
            b"<doc>&ent1;</doc>",
            Selection::document(),
            &Limits::default(),
        )
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnknownEntity("ent1".into()));
}

// 3.6, adapted: the example is declared ISO-8859-1, which the reader refuses
// (UTF-8 only); the same document in UTF-8 gives the same output.
#[test]
fn c14n10_3_6_utf8_encoding() {
    let err = Canonicalizer::new(Method::from_name("c14n").unwrap())
        .to_vec(
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<doc>&#169;</doc>",
            Selection::document(),
            &Limits::default(),
        )
        .unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::UnsupportedEncoding("ISO-8859-1".into())
    );
    let out = whole(
        "c14n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc>&#169;</doc>",
    );
    assert_eq!(out.as_bytes(), b"<doc>\xC2\xA9</doc>");
}

// 3.7 and C14N 1.1's 3.8 select nodes with an XPath expression that is not a
// subtree; hoso supports the node-sets signatures use (subtrees, minus one
// subtree). Adapted: the subtree of e3, with the DTD's default
// `xml:space="preserve"` on e2 written out. The xml:* attributes of the
// omitted ancestors are inherited (1.1: not xml:id, and xml:base joined).
const SUBSETS_AND_XML_ATTRIBUTES: &str = r#"<doc xmlns="http://www.ietf.org" xmlns:w3c="http://www.w3.org" xml:base="something/else">
   <e1>
      <e2 xmlns="" xml:id="abc" xml:base="bar/" xml:space="preserve">
         <e3 id="E3" xml:base="foo"/>
      </e2>
   </e1>
</doc>"#;

#[test]
fn c14n_document_subset_inherits_xml_attributes() {
    let e3 = Selection::subtree(offset_of(SUBSETS_AND_XML_ATTRIBUTES, "e3"));
    assert_eq!(
        c14n("c14n", SUBSETS_AND_XML_ATTRIBUTES, e3),
        r#"<e3 xmlns:w3c="http://www.w3.org" id="E3" xml:base="foo" xml:id="abc" xml:space="preserve"></e3>"#
    );
    assert_eq!(
        c14n("c14n11", SUBSETS_AND_XML_ATTRIBUTES, e3),
        r#"<e3 xmlns:w3c="http://www.w3.org" id="E3" xml:base="something/bar/foo" xml:space="preserve"></e3>"#
    );
    // Exclusive canonicalization keeps only the element's own xml:* attributes.
    assert_eq!(
        c14n("exc-c14n", SUBSETS_AND_XML_ATTRIBUTES, e3),
        r#"<e3 id="E3" xml:base="foo"></e3>"#
    );
    let e1 = Selection::subtree(offset_of(SUBSETS_AND_XML_ATTRIBUTES, "e1"));
    assert!(
        c14n("c14n11", SUBSETS_AND_XML_ATTRIBUTES, e1).starts_with(
            r#"<e1 xmlns="http://www.ietf.org" xmlns:w3c="http://www.w3.org" xml:base="something/else">"#
        )
    );
}

const EXC_DOC_1: &str = r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org">
  <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">
    <n3:stuff xmlns:n3="ftp://example.org"/>
  </n1:elem2>
</n0:local>"#;

const EXC_DOC_2: &str = r#"<n2:pdu xmlns:n1="http://example.com" xmlns:n2="http://foo.example" xml:lang="fr" xml:space="retain">
  <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">
    <n3:stuff xmlns:n3="ftp://example.org"/>
  </n1:elem2>
</n2:pdu>"#;

#[test]
fn exc_c14n_2_2_inclusive_versus_exclusive() {
    let elem2 = |doc| Selection::subtree(offset_of(doc, "n1:elem2"));
    assert_eq!(
        c14n("c14n", EXC_DOC_1, elem2(EXC_DOC_1)),
        "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xmlns:n3=\"ftp://example.org\" xml:lang=\"en\">\n    <n3:stuff></n3:stuff>\n  </n1:elem2>"
    );
    assert_eq!(
        c14n("c14n", EXC_DOC_2, elem2(EXC_DOC_2)),
        "<n1:elem2 xmlns:n1=\"http://example.net\" xmlns:n2=\"http://foo.example\" xml:lang=\"en\" xml:space=\"retain\">\n    <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n  </n1:elem2>"
    );
    let exclusive = "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n    <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n  </n1:elem2>";
    assert_eq!(c14n("exc-c14n", EXC_DOC_1, elem2(EXC_DOC_1)), exclusive);
    assert_eq!(c14n("exc-c14n", EXC_DOC_2, elem2(EXC_DOC_2)), exclusive);
}

#[test]
fn exc_c14n_inclusive_namespaces_prefix_list() {
    let selection = Selection::subtree(offset_of(EXC_DOC_2, "n1:elem2"));
    let run = |prefixes: &[&str]| {
        let out = Canonicalizer::new(Method::from_name("exc-c14n").unwrap())
            .with_inclusive_prefixes(prefixes.iter().copied())
            .to_vec(EXC_DOC_2.as_bytes(), selection, &Limits::default())
            .unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(
        run(&["n2"]),
        "<n1:elem2 xmlns:n1=\"http://example.net\" xmlns:n2=\"http://foo.example\" xml:lang=\"en\">\n    <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n  </n1:elem2>"
    );
    // A prefix that is not in scope renders nothing.
    assert_eq!(run(&["zz"]), run(&[]));
}

#[test]
fn exc_c14n_default_namespace_rules() {
    let input =
        r#"<a xmlns="urn:a" xmlns:p="urn:p"><p:b><c xmlns=""><d/></c></p:b><e xmlns="urn:a"/></a>"#;
    assert_eq!(
        whole("exc-c14n", input),
        r#"<a xmlns="urn:a"><p:b xmlns:p="urn:p"><c xmlns=""><d></d></c></p:b><e></e></a>"#
    );
    // #default in the prefix list renders the default namespace on p:b too.
    let out = Canonicalizer::new(Method::from_name("exc-c14n").unwrap())
        .with_inclusive_prefixes(["#default"])
        .to_vec(
            input.as_bytes(),
            Selection::subtree(offset_of(input, "p:b")),
            &Limits::default(),
        )
        .unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        r#"<p:b xmlns="urn:a" xmlns:p="urn:p"><c xmlns=""><d></d></c></p:b>"#
    );
}

#[test]
fn enveloped_signature_selection_leaves_out_one_subtree() {
    let input = r#"<f:Form xmlns:f="urn:f" Id="form"><f:Data>x</f:Data><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/></ds:Signature></f:Form>"#;
    let sig = offset_of(input, "ds:Signature");
    assert_eq!(
        c14n("exc-c14n", input, Selection::document().excluding(sig)),
        r#"<f:Form xmlns:f="urn:f" Id="form"><f:Data>x</f:Data></f:Form>"#
    );
    let form = offset_of(input, "f:Form");
    assert_eq!(
        c14n("c14n", input, Selection::subtree(form).excluding(sig)),
        r#"<f:Form xmlns:f="urn:f" Id="form"><f:Data>x</f:Data></f:Form>"#
    );
    assert_eq!(
        c14n("c14n", input, Selection::subtree(sig)),
        r#"<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:f="urn:f"><ds:SignedInfo></ds:SignedInfo></ds:Signature>"#
    );
}
