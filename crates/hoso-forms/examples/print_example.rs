//! Prints the typical example of a form as XML or JSON.
//!
//! `cargo run -p hoso-forms --example print_example -- tnmt-02-khai-thac-nuoc-duoi-dat json`

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(id), format) = (args.next(), args.next()) else {
        eprintln!("usage: print_example PROCEDURE [xml|json]");
        std::process::exit(2);
    };
    let definitions = hoso_forms::Definitions::load().expect("definitions");
    let Some(form) = definitions.get(&id) else {
        eprintln!("no form {id}");
        std::process::exit(2);
    };
    let example = form.example();
    match format.as_deref() {
        Some("json") => print!("{}", example.to_json(form)),
        _ => print!("{}", example.to_xml(form)),
    }
}
