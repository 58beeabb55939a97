//! The `djguide` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use djguide::diagnostics::{Diagnostics, Style};
use djguide::{BuildFailure, BuildOptions, BuildReport};

#[derive(Debug, Parser)]
#[command(
    name = "djguide",
    version,
    about = "Build and check an interview-guide site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder (default: public/).
    Build(BuildArgs),
    /// Validate everything a build validates, without writing output.
    Check(CommonArgs),
    /// Export every code sample with its page, language and line (samples.json).
    Samples(SamplesArgs),
}

#[derive(Debug, Args)]
struct SamplesArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Folder to write the samples into (replaced on each run).
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// Site root holding site.toml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include questions marked `draft = true`.
    #[arg(long)]
    drafts: bool,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Output folder (default: `output_dir` from site.toml, relative to the root).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Override `base_url` from site.toml, e.g. for a preview deployment.
    #[arg(long)]
    base_url: Option<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (options, verb) = match cli.command {
        Command::Samples(args) => return export_samples(args),
        Command::Build(args) => (
            BuildOptions {
                root: args.common.root,
                output: args.output,
                base_url: args.base_url,
                include_drafts: args.common.drafts,
                write: true,
            },
            "built",
        ),
        Command::Check(args) => (
            BuildOptions {
                root: args.root,
                include_drafts: args.drafts,
                ..BuildOptions::default()
            },
            "checked",
        ),
    };
    match djguide::build(&options) {
        Ok(report) => {
            print_diagnostics(report.warnings.clone());
            println!("{}", summary(verb, &report));
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(failure),
    }
}

fn export_samples(args: SamplesArgs) -> ExitCode {
    let options = BuildOptions {
        root: args.common.root,
        include_drafts: args.common.drafts,
        ..BuildOptions::default()
    };
    match djguide::export_samples(&options, &args.out) {
        Ok(count) => {
            println!("exported {count} code samples into {}", args.out.display());
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(failure),
    }
}

fn report_failure(failure: BuildFailure) -> ExitCode {
    match failure {
        BuildFailure::Content(diagnostics) => {
            let errors = diagnostics.error_count();
            let warnings = diagnostics.warning_count();
            print_diagnostics(diagnostics);
            let mut line = format!(
                "error: build failed with {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            if warnings > 0 {
                line.push_str(&format!(
                    " and {warnings} warning{}",
                    if warnings == 1 { "" } else { "s" }
                ));
            }
            eprintln!("{line}; nothing was written");
        }
        BuildFailure::Output(error) => {
            eprintln!("error: {error}");
            eprintln!("error: build failed; the previous output is untouched");
        }
    }
    ExitCode::FAILURE
}

fn print_diagnostics(diagnostics: Diagnostics) {
    let style = Style::for_stderr();
    for diagnostic in diagnostics.sorted() {
        eprintln!("{}", diagnostic.render(&style));
    }
}

fn summary(verb: &str, report: &BuildReport) -> String {
    let mut line = format!(
        "{verb} {} pages ({} questions in {} topics)",
        report.pages, report.questions, report.topics
    );
    if let Some(output) = &report.output {
        line.push_str(&format!(" into {}", output.display()));
    }
    line.push_str(&format!(" in {} ms", report.elapsed.as_millis()));
    line
}
