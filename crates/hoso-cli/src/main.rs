//! `hoso`: the command-line shell over the hoso libraries.  Argument parsing,
//! files, exit codes and output live here; the work is done by the crates.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod catalog_cmd;
mod forms_cmd;
mod profiles;
mod serve_cmd;
mod sign_cmd;
mod verify_cmd;

/// Exit code when the input is malformed, refused or invalid.
const EXIT_REFUSED: u8 = 1;
/// Exit code for usage and I/O errors.
const EXIT_USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "hoso",
    version,
    about = "Signed e-forms for Vietnamese online public services"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Canonicalize an XML document and write the canonical bytes to standard output.
    C14n(C14nArgs),
    /// Sign an XML document with an enveloped XAdES B-B signature, or a JSON form as a JWS.
    Sign(sign_cmd::SignArgs),
    /// Verify the signatures of a document and report in Vietnamese or English.
    Verify(verify_cmd::VerifyArgs),
    /// List the roadmap's 31 procedures, then the roadmap summary.
    Catalog(catalog_cmd::CatalogArgs),
    /// Print the XSD or JSON Schema of a procedure's form.
    Schema(forms_cmd::SchemaArgs),
    /// Validate an XML or JSON form (signed or not) against its definition.
    Validate(forms_cmd::ValidateArgs),
    /// Generate typed Rust or TypeScript bindings of the forms.
    Codegen(forms_cmd::CodegenArgs),
    /// Run the service (HTTP API on SQLite by default, or PostgreSQL).
    Serve(serve_cmd::ServeArgs),
}

#[derive(clap::Args)]
struct C14nArgs {
    /// Canonicalization method.
    #[arg(long, value_enum)]
    method: MethodArg,
    /// InclusiveNamespaces PrefixList for exclusive canonicalization
    /// (space-separated; `#default` names the default namespace).
    #[arg(long, value_name = "PREFIXES")]
    inclusive_prefixes: Option<String>,
    /// Canonicalize only the subtree of the element with this Id
    /// (attribute Id, ID, id or xml:id).
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// Leave out the subtree of the element with this Id.
    #[arg(long, value_name = "ID")]
    exclude_id: Option<String>,
    /// The XML file, or `-` for standard input.
    file: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum MethodArg {
    C14n,
    C14nWithComments,
    ExcC14n,
    ExcC14nWithComments,
    C14n11,
    C14n11WithComments,
}

impl MethodArg {
    fn method(self) -> hoso_xml::Method {
        let name = match self {
            MethodArg::C14n => "c14n",
            MethodArg::C14nWithComments => "c14n-with-comments",
            MethodArg::ExcC14n => "exc-c14n",
            MethodArg::ExcC14nWithComments => "exc-c14n-with-comments",
            MethodArg::C14n11 => "c14n11",
            MethodArg::C14n11WithComments => "c14n11-with-comments",
        };
        hoso_xml::Method::from_name(name).expect("every method name is known")
    }
}

/// A failure and the exit code it maps to; an empty message prints nothing
/// (the command already said why on standard output).
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Failure::message(EXIT_USAGE, message)
    }

    fn message(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }

    fn silent(code: u8) -> Self {
        Failure::message(code, "")
    }

    fn refused(file: &Path, error: &hoso_xml::Error) -> Self {
        Failure {
            code: EXIT_REFUSED,
            message: format!("{}:{error}", display_name(file)),
        }
    }
}

fn display_name(file: &Path) -> String {
    if file == Path::new("-") {
        "<stdin>".into()
    } else {
        file.display().to_string()
    }
}

/// Reads at most `max + 1` bytes: enough for the library to refuse an
/// oversized input by its size limit without this process holding all of it.
fn read_input(file: &Path, max: usize) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let cap = max as u64 + 1;
    let result = if file == Path::new("-") {
        std::io::stdin()
            .lock()
            .take(cap)
            .read_to_end(&mut bytes)
            .map(|_| ())
    } else {
        std::fs::File::open(file).and_then(|f| f.take(cap).read_to_end(&mut bytes).map(|_| ()))
    };
    result.map_err(|e| Failure::usage(format!("{}: cannot read: {e}", display_name(file))))?;
    Ok(bytes)
}

/// Writes `bytes` to `path`, or to standard output for `-`.
fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    let result = if path == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(bytes).and_then(|()| stdout.flush())
    } else {
        std::fs::write(path, bytes)
    };
    result.map_err(|e| Failure::usage(format!("{}: cannot write: {e}", display_name(path))))
}

fn c14n(args: C14nArgs) -> Result<(), Failure> {
    let limits = hoso_xml::Limits::default();
    let input = read_input(&args.file, limits.max_document_bytes)?;
    let ids = hoso_xml::IdAttributes::default();
    let mut canonicalizer = hoso_xml::Canonicalizer::new(args.method.method());
    if let Some(prefixes) = &args.inclusive_prefixes {
        canonicalizer = canonicalizer.with_inclusive_prefixes(prefixes.split_ascii_whitespace());
    }
    let locate = |id: &Option<String>| -> Result<Option<usize>, Failure> {
        id.as_deref()
            .map(|id| hoso_xml::find_id(&input, id, &ids, &limits))
            .transpose()
            .map_err(|e| Failure::refused(&args.file, &e))
    };
    let selection = hoso_xml::Selection {
        subtree: locate(&args.id)?,
        excluding: locate(&args.exclude_id)?,
    };
    // Buffer the result so that nothing reaches standard output unless the
    // whole document was accepted.
    let output = canonicalizer
        .to_vec(&input, selection, &limits)
        .map_err(|e| Failure::refused(&args.file, &e))?;
    write_output(Path::new("-"), &output)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::C14n(args) => c14n(args),
        Command::Sign(args) => sign_cmd::run(args),
        Command::Verify(args) => verify_cmd::run(args),
        Command::Catalog(args) => catalog_cmd::run(args),
        Command::Schema(args) => forms_cmd::schema(args),
        Command::Validate(args) => forms_cmd::validate(args),
        Command::Codegen(args) => forms_cmd::codegen(args),
        Command::Serve(args) => serve_cmd::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("hoso: {}", failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}
