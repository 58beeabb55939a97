//! Short class names for highlighted tokens, chosen by the colours a reader
//! sees rather than by the grammar's scope names.
//!
//! A token's look is the pair of styles it resolves to in the two configured
//! themes: `(light style, dark style)`, each a foreground colour and a font
//! style (bold, italic, underline), resolved with syntect's own scoring
//! (`style_for_stack` on the token's full scope stack). Tokens whose pair is
//! the block's default in both themes get no span at all.
//!
//! **How names are chosen.** The table from style pairs to names is built once
//! per theme pair at start-up, from the themes alone (never from the pages
//! built, so parallel rendering and `serve`'s incremental rebuilds always give
//! the same names and the stylesheet never changes with the content):
//!
//! 1. Every kind in [`KINDS`] (Pygments' and Chroma's short names: `k`
//!    keyword, `s` string, `c` comment, `nf` function name, …) resolves its
//!    representative scope in both themes; the first kind to reach a style pair
//!    names it.
//! 2. Then every scope selector of both themes is resolved the same way. A
//!    pair not named yet takes the kind of the selector's innermost scope,
//!    split deterministically if that name is taken by another pair: `k`,
//!    `k2`, `k3`.
//!
//! A token's name is the name of its pair, whatever its own scopes are: the
//! quote of a string is an `s` when it is drawn in the string's colours.
//!
//! A real scope stack often combines rules no single selector reaches (a
//! separator inside a parameter list). Naming every combination up front
//! (all ordered pairs of selectors) was tried: it named ~30 looks the guide
//! uses among several hundred it never does and tripled the stylesheet. So
//! such a token gets component classes instead, one per theme and property
//! (`a3 b7 lbi`: light colour 3, dark colour 7, light bold italic; see
//! [`Palette::fallback_classes`]). They are as short as a kind name, cover
//! every look either theme can give, and the stylesheet holds one rule per
//! colour of each theme rather than one per combination.

use std::collections::{BTreeMap, HashMap};

use syntect::highlighting::{Color, FontStyle, Highlighter, Theme};
use syntect::parsing::{Scope, ScopeStack};

/// Kinds of token, by scope prefix, with Pygments-style short names. The
/// longest matching prefix of a stack's innermost classified scope wins; the
/// order decides which kind names a colour pair first.
const KINDS: &[(&str, &str)] = &[
    ("comment", "c"),
    ("keyword", "k"),
    ("storage.type", "kt"),
    ("storage.modifier", "kd"),
    ("storage", "k"),
    ("keyword.operator", "o"),
    ("keyword.operator.word", "ow"),
    ("string", "s"),
    ("constant.character.escape", "se"),
    ("string.regexp", "sr"),
    ("constant.other.placeholder", "si"),
    ("meta.interpolation", "si"),
    ("constant.numeric", "m"),
    ("constant.language", "kc"),
    ("constant", "no"),
    ("entity.name.function", "nf"),
    ("entity.name.function.decorator", "d"),
    ("meta.annotation", "d"),
    ("entity.name.class", "nc"),
    ("entity.name.type", "nc"),
    ("entity.other.inherited-class", "nc"),
    ("entity.name.tag", "nt"),
    ("entity.name.namespace", "nn"),
    ("entity.other.attribute-name", "na"),
    ("entity", "n"),
    ("variable.language", "bp"),
    ("variable.parameter", "nv"),
    ("variable.function", "nf"),
    ("variable", "nv"),
    ("support.function", "nb"),
    ("support", "nb"),
    ("punctuation", "p"),
    ("markup.inserted", "gi"),
    ("markup.deleted", "gd"),
    ("markup.changed", "gc"),
    ("markup.heading", "gh"),
    ("meta.diff.header", "gh"),
    ("meta.diff.range", "gu"),
    ("markup.bold", "gs"),
    ("markup.italic", "ge"),
    ("markup", "g"),
    ("invalid", "err"),
];

/// The name of tokens no kind describes.
const OTHER_KIND: &str = "x";

/// What a token looks like in one theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Look {
    pub colour: [u8; 3],
    /// `FontStyle` bits (bold, underline, italic).
    pub font: u8,
}

impl Look {
    fn font_style(self) -> FontStyle {
        FontStyle::from_bits_truncate(self.font)
    }
}

/// What a token looks like in the light and the dark theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LookPair {
    pub light: Look,
    pub dark: Look,
}

/// One configured theme, with what it draws plain text in.
struct ThemeLooks<'a> {
    highlighter: Highlighter<'a>,
    default: Look,
}

impl<'a> ThemeLooks<'a> {
    fn new(theme: &'a Theme) -> Self {
        let highlighter = Highlighter::new(theme);
        let default = look_of(highlighter.get_default().foreground, FontStyle::empty());
        ThemeLooks {
            highlighter,
            default,
        }
    }

    fn look(&self, stack: &[Scope]) -> Look {
        let style = self.highlighter.style_for_stack(stack);
        look_of(style.foreground, style.font_style)
    }
}

fn look_of(colour: Color, font: FontStyle) -> Look {
    Look {
        colour: [colour.r, colour.g, colour.b],
        font: font.bits(),
    }
}

/// The class table of a theme pair, and how to resolve a token's class.
pub struct Palette {
    light: Theme,
    dark: Theme,
    defaults: LookPair,
    names: HashMap<LookPair, String>,
    /// Every colour each theme's rules can give, for [`Palette::fallback_classes`].
    light_colours: Vec<[u8; 3]>,
    dark_colours: Vec<[u8; 3]>,
}

impl std::fmt::Debug for Palette {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Palette")
            .field("classes", &self.names.len())
            .finish_non_exhaustive()
    }
}

impl Palette {
    pub fn new(light: Theme, dark: Theme) -> Self {
        let (defaults, names) = {
            let light_looks = ThemeLooks::new(&light);
            let dark_looks = ThemeLooks::new(&dark);
            let defaults = LookPair {
                light: light_looks.default,
                dark: dark_looks.default,
            };
            let names = name_pairs(&light_looks, &dark_looks, &candidate_stacks(&light, &dark));
            (defaults, names)
        };
        let light_colours = theme_colours(&light);
        let dark_colours = theme_colours(&dark);
        Palette {
            light,
            dark,
            defaults,
            names,
            light_colours,
            dark_colours,
        }
    }

    pub fn light_theme(&self) -> &Theme {
        &self.light
    }

    pub fn dark_theme(&self) -> &Theme {
        &self.dark
    }

    /// The themes' plain-text looks.
    pub fn defaults(&self) -> LookPair {
        self.defaults
    }

    /// Resolves scope stacks to classes; one per rendering, as resolving is
    /// worth caching and the cache is not shared between threads.
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver {
            palette: self,
            light: ThemeLooks::new(&self.light),
            dark: ThemeLooks::new(&self.dark),
            cache: HashMap::new(),
        }
    }

    /// Named classes and their looks, sorted by name.
    pub fn named(&self) -> Vec<(&str, LookPair)> {
        let mut named: Vec<(&str, LookPair)> = self
            .names
            .iter()
            .map(|(pair, name)| (name.as_str(), *pair))
            .collect();
        named.sort();
        named
    }

    /// The class list of a look no named class has: one class per theme for
    /// the colour (`a3`: light colour 3; `b7`: dark colour 7) and one per
    /// theme for the font style (`lbi`: light bold italic; `du`: dark
    /// underline), each left out when it is the theme's default.
    pub fn fallback_classes(&self, pair: LookPair) -> String {
        let mut classes = Vec::new();
        for (look, default, colours, colour_prefix, font_prefix) in [
            (pair.light, self.defaults.light, &self.light_colours, "a", "l"),
            (pair.dark, self.defaults.dark, &self.dark_colours, "b", "d"),
        ] {
            if look.colour != default.colour
                && let Some(index) = colours.iter().position(|&c| c == look.colour)
            {
                classes.push(format!("{colour_prefix}{index}"));
            }
            if look.font != 0 {
                classes.push(format!("{font_prefix}{}", font_code(look.font_style())));
            }
        }
        classes.join(" ")
    }

    /// Every fallback class with its look in one theme: `(class, colour,
    /// font style)`, for the stylesheet.
    pub fn fallback_rules(&self, light: bool) -> Vec<(String, Option<[u8; 3]>, FontStyle)> {
        let (colours, colour_prefix, font_prefix) = if light {
            (&self.light_colours, "a", "l")
        } else {
            (&self.dark_colours, "b", "d")
        };
        let mut rules: Vec<_> = colours
            .iter()
            .enumerate()
            .map(|(index, &colour)| {
                (
                    format!("{colour_prefix}{index}"),
                    Some(colour),
                    FontStyle::empty(),
                )
            })
            .collect();
        for bits in 1..8u8 {
            let font = FontStyle::from_bits_truncate(bits);
            rules.push((format!("{font_prefix}{}", font_code(font)), None, font));
        }
        rules
    }
}

/// `b`, `i`, `u` in that order, for the font styles set.
fn font_code(font: FontStyle) -> String {
    [
        (FontStyle::BOLD, 'b'),
        (FontStyle::ITALIC, 'i'),
        (FontStyle::UNDERLINE, 'u'),
    ]
    .iter()
    .filter(|(flag, _)| font.contains(*flag))
    .map(|(_, code)| *code)
    .collect()
}

/// Every foreground colour a theme's rules set, in rule order, deduplicated.
fn theme_colours(theme: &Theme) -> Vec<[u8; 3]> {
    let mut colours: Vec<[u8; 3]> = Vec::new();
    for colour in theme.scopes.iter().filter_map(|item| item.style.foreground) {
        let rgb = [colour.r, colour.g, colour.b];
        if !colours.contains(&rgb) {
            colours.push(rgb);
        }
    }
    colours
}

/// The stacks whose looks name the classes, in naming order: each kind's
/// representative scope, then each selector of both themes.
fn candidate_stacks(light: &Theme, dark: &Theme) -> Vec<Vec<Scope>> {
    let mut stacks: Vec<Vec<Scope>> = KINDS
        .iter()
        .filter_map(|(prefix, _)| Scope::new(prefix).ok().map(|scope| vec![scope]))
        .collect();
    let selectors: Vec<Vec<Scope>> = [light, dark]
        .iter()
        .flat_map(|theme| &theme.scopes)
        .flat_map(|item| &item.scope.selectors)
        .map(|selector| selector.extract_scopes())
        .filter(|scopes| !scopes.is_empty())
        .collect();
    stacks.extend(selectors);
    stacks
}

/// Names every look pair the candidate stacks reach, except the default.
fn name_pairs(
    light: &ThemeLooks,
    dark: &ThemeLooks,
    stacks: &[Vec<Scope>],
) -> HashMap<LookPair, String> {
    let defaults = LookPair {
        light: light.default,
        dark: dark.default,
    };
    let mut names: HashMap<LookPair, String> = HashMap::new();
    let mut uses: BTreeMap<&'static str, usize> = BTreeMap::new();
    for stack in stacks {
        let pair = LookPair {
            light: light.look(stack),
            dark: dark.look(stack),
        };
        if pair == defaults || names.contains_key(&pair) {
            continue;
        }
        let kind = kind_of(stack);
        let count = uses.entry(kind).or_insert(0);
        *count += 1;
        let name = match *count {
            1 => kind.to_string(),
            n => format!("{kind}{n}"),
        };
        names.insert(pair, name);
    }
    names
}

/// The kind of a stack's innermost scope that has one.
fn kind_of(stack: &[Scope]) -> &'static str {
    stack
        .iter()
        .rev()
        .find_map(|scope| {
            let name = scope.build_string();
            KINDS
                .iter()
                .filter(|(prefix, _)| {
                    name == *prefix
                        || name
                            .strip_prefix(prefix)
                            .is_some_and(|rest| rest.starts_with('.'))
                })
                .max_by_key(|(prefix, _)| prefix.len())
                .map(|(_, kind)| *kind)
        })
        .unwrap_or(OTHER_KIND)
}

/// A token's class from its scope stack, with a cache of stacks seen.
pub struct Resolver<'a> {
    palette: &'a Palette,
    light: ThemeLooks<'a>,
    dark: ThemeLooks<'a>,
    cache: HashMap<Vec<Scope>, Option<String>>,
}

impl Resolver<'_> {
    /// The look of a stack in both themes.
    pub fn look(&self, stack: &ScopeStack) -> LookPair {
        LookPair {
            light: self.light.look(stack.as_slice()),
            dark: self.dark.look(stack.as_slice()),
        }
    }

    /// The class list for text under `stack`; `None` for the default look.
    pub fn class(&mut self, stack: &ScopeStack) -> Option<&str> {
        if !self.cache.contains_key(stack.as_slice()) {
            let pair = self.look(stack);
            let class = (pair != self.palette.defaults).then(|| {
                self.palette
                    .names
                    .get(&pair)
                    .cloned()
                    .unwrap_or_else(|| self.palette.fallback_classes(pair))
            });
            self.cache.insert(stack.as_slice().to_vec(), class);
        }
        self.cache[stack.as_slice()].as_deref()
    }
}
