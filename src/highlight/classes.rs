//! Short class names for highlighted tokens, chosen by the colours a reader
//! sees rather than by the grammar's scope names.
//!
//! A token's look is the pair of styles it resolves to in the two configured
//! themes: `(light style, dark style)`, each a foreground colour and a font
//! style (bold, italic, underline), resolved from the token's full scope
//! stack the way the former scope-class markup and stylesheet resolved it in
//! a browser (see `ThemeLooks`). Tokens whose pair is the block's default in
//! both themes get no span at all.
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
use std::sync::{Arc, RwLock};

use syntect::highlighting::{Color, FontStyle, Theme};
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

/// One configured theme as the scope-class stylesheet drew it, with what it
/// draws plain text in.
///
/// Looks are resolved the way browsers resolved the former markup (one
/// nested span per scope, a class per scope atom) against the former
/// stylesheet (one rule per theme selector, descendant selectors, no
/// excludes): per property, the matching rule of highest specificity, later
/// rules winning ties, on the innermost element that has one; otherwise
/// inherited. This keeps every colour a reader saw. syntect's own
/// `style_for_stack` scores matches differently (the deepest scope wins
/// over the most specific selector) and disagrees with the former pages on
/// about a third of the guide's code blocks.
struct ThemeLooks {
    rules: Vec<CascadeRule>,
    default: Look,
}

/// One former CSS rule: a descendant selector of class sets (scope atoms).
struct CascadeRule {
    compounds: Vec<Vec<String>>,
    specificity: usize,
    colour: Option<Color>,
    font: FontStyle,
}

impl CascadeRule {
    /// Whether the rule matches element `index` of `elements` (each the
    /// atoms of one scope), its earlier compounds matching ancestors in order.
    fn matches(&self, elements: &[Vec<String>], index: usize) -> bool {
        let Some((last, earlier)) = self.compounds.split_last() else {
            return false;
        };
        let has = |element: &Vec<String>, compound: &Vec<String>| {
            compound.iter().all(|atom| element.contains(atom))
        };
        if !has(&elements[index], last) {
            return false;
        }
        let mut ancestors = elements[..index].iter().rev();
        earlier
            .iter()
            .rev()
            .all(|compound| ancestors.any(|element| has(element, compound)))
    }
}

impl ThemeLooks {
    fn new(theme: &Theme) -> Self {
        let foreground = theme.settings.foreground.unwrap_or(Color::BLACK);
        let mut rules = Vec::new();
        for item in &theme.scopes {
            let font = item.style.font_style.unwrap_or_else(FontStyle::empty);
            if item.style.foreground.is_none() && font.is_empty() {
                continue;
            }
            for selector in item
                .scope
                .selectors
                .iter()
                .filter(|s| s.excludes.is_empty())
            {
                let compounds: Vec<Vec<String>> =
                    selector.extract_scopes().iter().map(atoms).collect();
                if compounds.is_empty() {
                    continue;
                }
                rules.push(CascadeRule {
                    specificity: compounds.iter().map(Vec::len).sum(),
                    compounds,
                    colour: item.style.foreground,
                    font,
                });
            }
        }
        ThemeLooks {
            rules,
            default: look_of(foreground, FontStyle::empty()),
        }
    }

    fn look(&self, stack: &[Scope]) -> Look {
        let elements: Vec<Vec<String>> = stack.iter().map(atoms).collect();
        let colour = self
            .inherited(&elements, |rule| rule.colour)
            .map_or(self.default.colour, |c| [c.r, c.g, c.b]);
        let mut font = FontStyle::empty();
        for flag in [FontStyle::BOLD, FontStyle::ITALIC] {
            if self
                .inherited(&elements, |rule| rule.font.contains(flag).then_some(()))
                .is_some()
            {
                font |= flag;
            }
        }
        // An underline is drawn under descendants whatever they declare.
        let underlined = (0..elements.len()).any(|index| {
            self.rules.iter().any(|rule| {
                rule.font.contains(FontStyle::UNDERLINE) && rule.matches(&elements, index)
            })
        });
        if underlined {
            font |= FontStyle::UNDERLINE;
        }
        Look {
            colour,
            font: font.bits(),
        }
    }

    /// The value of the winning rule declaring a property (`declared` is
    /// `Some` for rules that declare it) on the innermost element with one.
    fn inherited<T>(
        &self,
        elements: &[Vec<String>],
        declared: impl Fn(&CascadeRule) -> Option<T>,
    ) -> Option<T> {
        (0..elements.len()).rev().find_map(|index| {
            self.rules
                .iter()
                .enumerate()
                .filter(|(_, rule)| rule.matches(elements, index))
                .filter_map(|(order, rule)| {
                    declared(rule).map(|value| (rule.specificity, order, value))
                })
                .max_by_key(|(specificity, order, _)| (*specificity, *order))
                .map(|(_, _, value)| value)
        })
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
    light_looks: ThemeLooks,
    dark_looks: ThemeLooks,
    /// Classes of the stacks seen so far, shared by every rendering thread:
    /// a pure function of the stack, so sharing changes nothing but time.
    seen: RwLock<HashMap<Vec<Scope>, TokenStyle>>,
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
            light_looks: ThemeLooks::new(&light),
            dark_looks: ThemeLooks::new(&dark),
            light,
            dark,
            defaults,
            names,
            light_colours,
            dark_colours,
            seen: RwLock::default(),
        }
    }

    /// Feeds what tells this palette's output apart from another's: the
    /// themes' names and the class table (the persistent cache's key).
    pub(super) fn hash_identity(&self, state: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        (&self.light.name, &self.dark.name, self.defaults).hash(state);
        let mut names: Vec<(&LookPair, &String)> = self.names.iter().collect();
        names.sort_unstable();
        names.hash(state);
    }

    pub fn light_theme(&self) -> &Theme {
        &self.light
    }

    pub fn dark_theme(&self) -> &Theme {
        &self.dark
    }

    // The maps are only ever inserted into: a poisoned lock still holds a consistent map.
    fn read_seen(&self) -> std::sync::RwLockReadGuard<'_, HashMap<Vec<Scope>, TokenStyle>> {
        self.seen
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write_seen(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<Vec<Scope>, TokenStyle>> {
        self.seen
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The themes' plain-text looks.
    pub fn defaults(&self) -> LookPair {
        self.defaults
    }

    /// Resolves scope stacks to classes, for one rendering: it keeps its own
    /// cache in front of the shared one, so most tokens take no lock.
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver {
            palette: self,
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
            (
                pair.light,
                self.defaults.light,
                &self.light_colours,
                "a",
                "l",
            ),
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

/// How a token is written: its class list (`None` for the default look),
/// and whether either theme underlines it (the one look that shows on
/// whitespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenStyle {
    pub class: Option<Arc<str>>,
    pub underlined: bool,
}

/// A token's style from its scope stack, with a cache of stacks seen.
pub struct Resolver<'a> {
    palette: &'a Palette,
    cache: HashMap<Vec<Scope>, TokenStyle>,
}

impl Resolver<'_> {
    /// The look of a stack in both themes.
    pub fn look(&self, stack: &ScopeStack) -> LookPair {
        LookPair {
            light: self.palette.light_looks.look(stack.as_slice()),
            dark: self.palette.dark_looks.look(stack.as_slice()),
        }
    }

    fn resolve(&self, stack: &ScopeStack) -> TokenStyle {
        let pair = self.look(stack);
        let class = (pair != self.palette.defaults).then(|| {
            let names = &self.palette.names;
            Arc::from(
                names
                    .get(&pair)
                    .cloned()
                    .unwrap_or_else(|| self.palette.fallback_classes(pair)),
            )
        });
        let underline = FontStyle::UNDERLINE.bits();
        TokenStyle {
            class,
            underlined: (pair.light.font | pair.dark.font) & underline != 0,
        }
    }

    /// The style of text under `stack`.
    pub fn style(&mut self, stack: &ScopeStack) -> &TokenStyle {
        if !self.cache.contains_key(stack.as_slice()) {
            let seen = self.palette.read_seen().get(stack.as_slice()).cloned();
            let style = seen.unwrap_or_else(|| {
                let style = self.resolve(stack);
                self.palette
                    .write_seen()
                    .insert(stack.as_slice().to_vec(), style.clone());
                style
            });
            self.cache.insert(stack.as_slice().to_vec(), style);
        }
        &self.cache[stack.as_slice()]
    }
}

/// A scope's dot-separated atoms (`keyword.control.python` → three), the
/// parts a CSS class selector of the old markup matched one by one.
fn atoms(scope: &Scope) -> Vec<String> {
    scope
        .build_string()
        .split('.')
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::highlight::{CodeBlock, CodeInfo, Highlighter, palette, syntax_set};
    use syntect::parsing::ParseState;

    /// Samples in the languages the guide uses.
    const SAMPLES: &[(&str, &str)] = &[
        (
            "python",
            "@dataclass\nclass Order(models.Model):\n    \"\"\"Docs.\n    More.\"\"\"\n    total = models.DecimalField(max_digits=8, decimal_places=2)  # money\n\n    def paid(self, *, at=None) -> bool:\n        return f\"{self.total!r:>10}\\n\" and 0x1F or True\n",
        ),
        (
            "sql",
            "SELECT o.id, COUNT(*) AS n FROM orders o\nWHERE o.total > 10.5 AND o.name LIKE 'a%' -- note\nGROUP BY o.id;\n",
        ),
        (
            "bash",
            "export DJANGO_SETTINGS_MODULE=site.settings\nfor f in *.py; do echo \"$f\" | grep -q test && python -m pytest \"$f\"; done # run\n",
        ),
        (
            "html+django",
            "{% extends \"base.html\" %}\n{% block content %}<a href=\"{% url 'home' %}\" class=\"x\">{{ user.name|title }}</a>{# c #}\n{% endblock %}\n",
        ),
        (
            "toml",
            "[tool.pytest]\naddopts = \"-q\" # quiet\nretries = 3\nok = true\n",
        ),
        ("json", "{\"a\": [1, 2.5, true, null], \"b\": \"x\\\"y\"}\n"),
        (
            "diff",
            "--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n-old = 1\n+new = 2\n same\n",
        ),
        (
            "javascript",
            "const csrftoken = document.cookie.match(/csrftoken=([^;]+)/)?.[1];\nfetch(`/api/${id}`, {method: 'POST'}).then(r => r.json()); // go\n",
        ),
        ("text", "plain <text> & more\n"),
    ];

    /// The look of a span's class list, read back from the palette.
    fn look_of_classes(palette: &Palette, classes: Option<&str>) -> LookPair {
        let Some(classes) = classes else {
            return palette.defaults();
        };
        if let Some((_, pair)) = palette
            .named()
            .into_iter()
            .find(|(name, _)| *name == classes)
        {
            return pair;
        }
        let mut pair = palette.defaults();
        for class in classes.split(' ') {
            let (look, colours) = match &class[..1] {
                "a" | "l" => (&mut pair.light, &palette.light_colours),
                _ => (&mut pair.dark, &palette.dark_colours),
            };
            if let Ok(index) = class[1..].parse::<usize>() {
                look.colour = colours[index];
            } else {
                look.font = class[1..].chars().fold(0, |bits, code| {
                    bits | match code {
                        'b' => FontStyle::BOLD.bits(),
                        'i' => FontStyle::ITALIC.bits(),
                        _ => FontStyle::UNDERLINE.bits(),
                    }
                });
            }
        }
        pair
    }

    /// Each character of a rendered line with the classes of its span.
    fn classed_characters(line: &str) -> Vec<(char, Option<String>)> {
        let mut out = Vec::new();
        let mut class: Option<String> = None;
        let mut rest = line;
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix("<span class=\"") {
                let end = after.find("\">").unwrap();
                class = Some(after[..end].to_string());
                rest = &after[end + 2..];
            } else if let Some(after) = rest.strip_prefix("</span>") {
                class = None;
                rest = after;
            } else if rest.starts_with('&') {
                let end = rest.find(';').unwrap();
                let c = match &rest[..=end] {
                    "&lt;" => '<',
                    "&gt;" => '>',
                    "&amp;" => '&',
                    "&quot;" => '"',
                    "&#39;" => '\'',
                    other => panic!("unexpected entity {other}"),
                };
                out.push((c, class.clone()));
                rest = &rest[end + 1..];
            } else {
                let c = rest.chars().next().unwrap();
                out.push((c, class.clone()));
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }

    /// Each character of the code with the look its full scope stack resolves to.
    fn resolved_characters(palette: &Palette, lang: &str, code: &str) -> Vec<(char, LookPair)> {
        let grammar = crate::languages::find(lang).map(|language| language.grammar);
        let Some(syntax) = (match grammar {
            Some(crate::languages::Grammar::Syntax(name)) => syntax_set().find_syntax_by_name(name),
            Some(crate::languages::Grammar::Plain) => None,
            None => syntax_set().find_syntax_by_token(lang),
        }) else {
            return code
                .chars()
                .filter(|&c| c != '\n')
                .map(|c| (c, palette.defaults()))
                .collect();
        };
        let resolver = palette.resolver();
        let mut parser = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut out = Vec::new();
        for line in code.lines() {
            let with_newline = format!("{line}\n");
            let ops = parser.parse_line(&with_newline, syntax_set()).unwrap();
            let mut start = 0;
            let mut push = |text: &str, stack: &ScopeStack| {
                let look = resolver.look(stack);
                out.extend(text.chars().filter(|&c| c != '\n').map(|c| (c, look)));
            };
            for (end, op) in ops {
                push(&with_newline[start..end], &stack);
                stack.apply(&op).unwrap();
                start = end;
            }
            push(&with_newline[start..], &stack);
        }
        out
    }

    #[test]
    fn rendered_classes_draw_what_the_scope_classes_drew_in_both_themes() {
        let palette = palette("InspiredGitHub", "base16-ocean.dark").unwrap();
        let highlighter = Highlighter::configured(palette.clone(), Vec::new());
        for (lang, code) in SAMPLES {
            let info = CodeInfo::parse(lang).unwrap();
            let html = highlighter
                .render(&CodeBlock { code, info: &info })
                .unwrap();
            let rendered: Vec<(char, LookPair)> = code_lines(&html)
                .flat_map(classed_characters)
                .map(|(c, classes)| (c, look_of_classes(&palette, classes.as_deref())))
                .collect();
            let expected = resolved_characters(&palette, lang, code);
            assert_eq!(rendered.len(), expected.len(), "{lang}: {html}");
            for (index, (got, want)) in rendered.iter().zip(&expected).enumerate() {
                assert!(
                    got == want || (got.0.is_whitespace() && draws_nothing_on_blank(*got, *want)),
                    "{lang}, character {index} ({:?}): {got:?} != {want:?} in {html}",
                    got.0
                );
            }
        }
    }

    /// The inner HTML of each line of a rendered block, line elements
    /// (present only on marked blocks) taken off.
    fn code_lines(html: &str) -> impl Iterator<Item = &str> {
        let code = html.find("<code").unwrap();
        let start = code + html[code..].find("\">").unwrap() + 2;
        let end = html.rfind("</code>").unwrap();
        html[start..end]
            .split('\n')
            .map(|line| line.strip_prefix("</span>").unwrap_or(line))
            .map(|line| match line.strip_prefix("<span class=\"line") {
                Some(rest) => rest.split_once("\">").map_or(rest, |(_, text)| text),
                None => line,
            })
            .filter(|line| !line.is_empty())
    }

    /// Whitespace shows no colour, weight or slant: two looks draw the same
    /// blank unless one underlines it.
    fn draws_nothing_on_blank(got: (char, LookPair), want: (char, LookPair)) -> bool {
        let underline = FontStyle::UNDERLINE.bits();
        let underlined = |pair: LookPair| (pair.light.font | pair.dark.font) & underline != 0;
        !underlined(got.1) && !underlined(want.1)
    }

    #[test]
    fn whitespace_takes_no_span_of_its_own() {
        let html = Highlighter::new()
            .render(&CodeBlock {
                code: "class Order(models.Model):\n    pass\n",
                info: &CodeInfo::parse("python").unwrap(),
            })
            .unwrap();
        assert!(!html.contains("\"> </span>"), "{html}");
        assert!(!html.contains("\">    </span>"), "{html}");
    }

    #[test]
    fn lines_have_elements_only_when_marked_or_numbered() {
        let render = |info: &str, code: &str| {
            Highlighter::new()
                .render(&CodeBlock {
                    code,
                    info: &CodeInfo::parse(info).unwrap(),
                })
                .unwrap()
        };
        let plain = render("python", "a = 1\nb = 2\n");
        assert!(!plain.contains("class=\"line"), "{plain}");
        assert!(
            plain.contains("<code class=\"language-python\">a <span"),
            "{plain}"
        );
        let marked = render("python hl_lines=\"2\"", "a = 1\nb = 2\n");
        assert!(
            marked.contains("<pre class=\"code-block hl-code lines\">"),
            "{marked}"
        );
        assert!(marked.contains("<span class=\"line hl\">b"), "{marked}");
        let numbered = render("python linenos", "a = 1\n");
        assert!(numbered.contains("lines linenos"), "{numbered}");
        let diff = render("diff", "+new\n same\n");
        assert!(diff.contains("<span class=\"line add\">"), "{diff}");
    }

    #[test]
    fn spans_are_flat_merged_and_absent_for_default_text() {
        let html = Highlighter::new()
            .render(&CodeBlock {
                code: "x = 1\n",
                info: &CodeInfo::parse("python").unwrap(),
            })
            .unwrap();
        let lines: Vec<&str> = code_lines(&html).collect();
        assert!(lines[0].starts_with("x "), "{html}");
        for body in lines {
            let mut depth = 0;
            for piece in body.split('<').skip(1) {
                depth += if piece.starts_with('/') { -1 } else { 1 };
                assert!(depth <= 1, "nested span in {body}");
            }
        }
    }

    #[test]
    fn the_table_depends_on_the_themes_only() {
        let a = Palette::new(
            super::super::theme_css::find_theme("InspiredGitHub").unwrap(),
            super::super::theme_css::find_theme("base16-ocean.dark").unwrap(),
        );
        let b = palette("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert_eq!(a.named(), b.named());
        assert!(a.named().iter().any(|(name, _)| *name == "k"));
        assert!(a.named().iter().any(|(name, _)| *name == "c"));
    }
}
