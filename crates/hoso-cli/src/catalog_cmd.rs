//! `hoso catalog`: the roadmap's procedures as a table or as JSON, followed
//! by the roadmap summary.

use std::fmt::Write as _;
use std::path::Path;

use clap::ValueEnum;
use hoso_forms::{Catalog, Lang, Procedure, RoadmapSummary};

use crate::{EXIT_REFUSED, Failure, write_output};

#[derive(clap::Args)]
pub struct CatalogArgs {
    /// Print the catalog and the summary as JSON.
    #[arg(long)]
    json: bool,
    /// Language of the table.
    #[arg(long, value_enum, default_value = "vi")]
    lang: LangArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Vi,
    En,
}

pub fn run(args: CatalogArgs) -> Result<(), Failure> {
    let catalog =
        Catalog::load().map_err(|e| Failure::message(EXIT_REFUSED, format!("catalog: {e}")))?;
    let summary = catalog.roadmap_summary();
    let out = if args.json {
        let value = serde_json::json!({
            "catalog": catalog,
            "summary": summary,
        });
        let mut text = serde_json::to_string_pretty(&value)
            .map_err(|e| Failure::message(EXIT_REFUSED, format!("catalog: {e}")))?;
        text.push('\n');
        text
    } else {
        let lang = match args.lang {
            LangArg::Vi => Lang::Vi,
            LangArg::En => Lang::En,
        };
        table(catalog.procedures(), &summary, lang)
    };
    write_output(Path::new("-"), out.as_bytes())
}

/// Labels of the table, in one language.
struct Labels {
    header: [&'static str; 5],
    days: &'static str,
    unverified: &'static str,
    summary: &'static str,
    level3: &'static str,
    province: &'static str,
    district: &'static str,
    by_level: &'static str,
    level: &'static str,
    level4: &'static str,
    facts: &'static str,
}

const VI: Labels = Labels {
    header: [
        "Số",
        "Cấp",
        "Mức",
        "Thời hạn",
        "Mã / Tên thủ tục / Cơ quan chủ trì",
    ],
    days: "ngày LV",
    unverified: "* số liệu chưa kiểm chứng với văn bản gốc",
    summary: "Tổng hợp lộ trình",
    level3: "Mức độ 3",
    province: "cấp tỉnh",
    district: "cấp huyện",
    by_level: "Theo mức độ hiện nay",
    level: "mức",
    level4: "Thủ tục được nêu đích danh lên mức độ 4",
    facts: "Số liệu đã kiểm chứng / chưa kiểm chứng",
};

const EN: Labels = Labels {
    header: [
        "No.",
        "Tier",
        "Level",
        "Time",
        "Id / Procedure / Lead agency",
    ],
    days: "w. days",
    unverified: "* figure not yet checked against the official text",
    summary: "Roadmap summary",
    level3: "Level 3",
    province: "provincial",
    district: "district",
    by_level: "By current level",
    level: "level",
    level4: "Procedures named for level 4",
    facts: "Figures verified / unverified",
};

fn time_cell(p: &Procedure, labels: &Labels) -> String {
    let mark = if p.processing_time.verified { "" } else { "*" };
    match p.processing_time.working_days {
        Some(days) => format!("{days} {}{mark}", labels.days),
        None => format!("—{mark}"),
    }
}

fn table(procedures: &[Procedure], summary: &RoadmapSummary, lang: Lang) -> String {
    let labels = match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    };
    let [h_no, h_tier, h_level, h_time, h_name] = labels.header;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{h_no:>3}  {h_tier:<8}  {h_level:<5}  {h_time:<13}  {h_name}"
    );
    for p in procedures {
        let level = match p.online_level.target {
            Some(target) => format!("{}→{target}", p.online_level.current),
            None => p.online_level.current.to_string(),
        };
        let indent = " ".repeat(3 + 2 + 8 + 2 + 5 + 2 + 13 + 2);
        let _ = writeln!(
            out,
            "{:>3}  {:<8}  {:<5}  {:<13}  {}",
            p.number,
            p.tier.label(lang),
            level,
            time_cell(p, labels),
            p.id
        );
        let _ = writeln!(out, "{indent}{}", p.name.get(lang));
        let _ = writeln!(out, "{indent}{}", p.lead_agency.get(lang));
    }
    let _ = writeln!(out, "{}", labels.unverified);
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", labels.summary);
    let _ = writeln!(
        out,
        "  {} ({}): {}/{} — {} {}/{}, {} {}/{}",
        labels.level3,
        summary.level3_year,
        summary.level3.actual,
        summary.level3.target,
        labels.province,
        summary.province.actual,
        summary.province.target,
        labels.district,
        summary.district.actual,
        summary.district.target
    );
    let levels: Vec<String> = summary
        .by_level
        .iter()
        .map(|c| format!("{} {}: {}", labels.level, c.level, c.procedures))
        .collect();
    let _ = writeln!(out, "  {}: {}", labels.by_level, levels.join(", "));
    let _ = writeln!(
        out,
        "  {} ({}): {}",
        summary.target_year,
        summary.target.get(lang),
        format_args!("{}: {}", labels.level4, summary.level4_planned)
    );
    let _ = writeln!(
        out,
        "  {}: {} / {}",
        labels.facts, summary.facts_verified, summary.facts_unverified
    );
    out
}
