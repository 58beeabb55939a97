//! The `djguide` command line.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use djguide::diagnostics::{Diagnostics, escape_control};
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
    /// Validate everything a build validates, without writing output; warn
    /// about unfinished questions.
    Check(CheckArgs),
    /// Serve the site locally, rebuilding and reloading the browser on every change.
    Serve(ServeArgs),
    /// Create a question file with every front-matter field: `djguide new orm/bulk-create`.
    New(NewArgs),
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
struct CheckArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on. Anything but loopback exposes the site to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
}

#[derive(Debug, Args)]
struct NewArgs {
    /// Topic folder and slug of the new question, e.g. `orm/bulk-create`.
    #[arg(value_name = "TOPIC/SLUG")]
    target: String,
    /// junior, mid or senior.
    #[arg(long, default_value = "junior")]
    level: String,
    /// Create the topic (its folder and `_index.md`) if it does not exist.
    #[arg(long)]
    create_topic: bool,
    /// Site root holding site.toml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Args)]
struct CommonArgs {
    /// Site root holding site.toml and content/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include questions marked `draft = true`.
    #[arg(long)]
    drafts: bool,
    /// Neither read nor write the highlight cache (`.djguide-cache/` under
    /// the root, or the folder `DJGUIDE_CACHE_DIR` names).
    #[arg(long)]
    no_cache: bool,
}

/// Names the highlight cache's folder instead of `.djguide-cache/` under the
/// root (e.g. a folder CI keeps between runs).
const CACHE_DIR_ENV: &str = "DJGUIDE_CACHE_DIR";

impl CommonArgs {
    fn cache_dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            return None;
        }
        Some(match std::env::var_os(CACHE_DIR_ENV) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => self.root.join(djguide::highlight::DEFAULT_CACHE_DIR),
        })
    }
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
    let mut strict = false;
    let (options, verb) = match cli.command {
        Command::Samples(args) => return export_samples(args),
        Command::Serve(args) => return serve(args),
        Command::New(args) => return new_question(args),
        Command::Build(args) => (
            BuildOptions {
                cache_dir: args.common.cache_dir(),
                root: args.common.root,
                output: args.output,
                base_url: args.base_url,
                include_drafts: args.common.drafts,
                write: true,
                lints: false,
            },
            "built",
        ),
        Command::Check(args) => {
            strict = args.strict;
            (
                BuildOptions {
                    cache_dir: args.common.cache_dir(),
                    root: args.common.root,
                    include_drafts: args.common.drafts,
                    lints: true,
                    ..BuildOptions::default()
                },
                "checked",
            )
        }
    };
    match djguide::build(&options) {
        Ok(report) => {
            let warnings = report.warnings.warning_count();
            Diagnostics::print_to_stderr(report.warnings.clone());
            println!("{}", summary(verb, &report));
            if let Some(leftover) = &report.written.leftover {
                eprintln!(
                    "warning: {} holds files that appeared during the build; it was left in place, not deleted",
                    leftover.display()
                );
            }
            if strict && warnings > 0 {
                eprintln!(
                    "error: {warnings} warning{} with --strict",
                    if warnings == 1 { "" } else { "s" }
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(failure),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let options = djguide::serve::ServeOptions {
        cache_dir: args.common.cache_dir(),
        root: args.common.root,
        bind: args.bind,
        port: args.port,
        include_drafts: args.common.drafts,
    };
    match djguide::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Paths come from the file system and may hold control
            // characters; the message's own line breaks are kept.
            let message = error.to_string();
            let lines: Vec<_> = message.lines().map(escape_control).collect();
            eprintln!("error: {}", lines.join("\n"));
            ExitCode::FAILURE
        }
    }
}

fn new_question(args: NewArgs) -> ExitCode {
    let request = djguide::scaffold::NewQuestion {
        root: args.root,
        target: args.target,
        level: args.level,
        create_topic: args.create_topic,
    };
    match djguide::scaffold::new_question(&request) {
        Ok(written) => {
            for path in written {
                println!("created {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            // Folder names from content/ can appear in both.
            eprintln!("error: {}", escape_control(&error.message));
            if let Some(hint) = error.hint {
                eprintln!("  = help: {}", escape_control(&hint));
            }
            ExitCode::FAILURE
        }
    }
}

fn export_samples(args: SamplesArgs) -> ExitCode {
    let options = BuildOptions {
        cache_dir: args.common.cache_dir(),
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
            Diagnostics::print_to_stderr(diagnostics);
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
            // Paths come from the file system and may hold control
            // characters; the message's own line breaks are kept.
            let message = error.to_string();
            let lines: Vec<_> = message.lines().map(escape_control).collect();
            eprintln!("error: {}", lines.join("\n"));
            eprintln!("error: build failed; the previous output is untouched");
        }
    }
    ExitCode::FAILURE
}

fn summary(verb: &str, report: &BuildReport) -> String {
    let mut line = format!(
        "{verb} {} pages ({} questions in {} topics)",
        report.pages, report.questions, report.topics
    );
    if let Some(output) = &report.output {
        line.push_str(&format!(" into {}", output.display()));
        let kept = report.written.kept;
        if kept > 0 {
            line.push_str(&format!(
                " (kept {kept} file{} djguide did not write)",
                if kept == 1 { "" } else { "s" }
            ));
        }
    }
    line.push_str(&format!(" in {} ms", report.elapsed.as_millis()));
    line
}
