//! Runnable samples as the generator sees them: the fence attributes are
//! checked by `djguide check`, exported by `djguide samples` for the runner,
//! and shown to readers as a mark on the samples the suite executes.

mod common;

use common::{Site, djguide};

const PAGE: &str = "+++
title = \"How do you count rows?\"
level = \"junior\"
summary = \"With count().\"
red_flag = \"len() on a queryset.\"
tags = [\"orm\"]
follow_ups = [\"a?\", \"b?\"]
sample_database = \"postgresql\"
+++
A log from production:

```output norun=\"a production log\"
SELECT 1
```

The model:

```python title=\"shop/models.py\" run
from django.db import models


class Product(models.Model):
    name = models.CharField(max_length=100)
```

A shell session:

```python run queries
from shop.models import Product
print(Product.objects.count())
```

Some prose between.

```output
SELECT COUNT(*) AS \"__count\" FROM \"shop_product\"
0
```

```output django=\"6.1\"
0
```

```python norun=\"needs a Redis server\"
cache.set(\"k\", 1)
```
";

fn site_with_page(page: &str) -> Site {
    let site = Site::copy_of("basic");
    let config = common::read(&site.path("site.toml"));
    site.write(
        "site.toml",
        &format!(
            "{config}\n[samples]\nverified_with = [{{ django = \"5.2.19\", drf = \"3.16.1\" }}, {{ django = \"6.1.3\", drf = \"3.18.3\" }}]\n"
        ),
    );
    site.write("content/orm/count.md", page);
    site
}

#[test]
fn the_export_carries_what_the_runner_needs() {
    let site = site_with_page(PAGE);
    let out = tempfile::tempdir().unwrap();
    let export = out.path().join("samples");
    let result = djguide(&[
        "samples",
        "--root",
        site.root(),
        "--out",
        export.to_str().unwrap(),
    ]);
    assert!(result.success, "{}", result.stderr);
    let manifest: serde_json::Value =
        serde_json::from_str(&common::read(&export.join("samples.json"))).unwrap();
    assert_eq!(manifest["version"], 2);
    assert_eq!(manifest["verified_with"][1]["drf"], "3.18.3");
    let page = manifest["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|page| page["source"] == "content/orm/count.md")
        .expect("the page is listed");
    assert_eq!(page["database"], "postgresql");
    assert_eq!(page["topic"], "orm");
    assert_eq!(page["slug"], "count");
    assert_eq!(
        page["loose_outputs"],
        serde_json::json!([{"line": 13, "django": null, "norun": "a production log", "text": "SELECT 1\n"}])
    );
    let samples: Vec<&serde_json::Value> = manifest["samples"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|sample| sample["page"] == "content/orm/count.md")
        .collect();
    assert_eq!(samples.len(), 3);
    assert_eq!(samples[0]["title"], "shop/models.py");
    assert_eq!(samples[0]["run"], true);
    assert_eq!(samples[0]["outputs"], serde_json::json!([]));
    assert_eq!(samples[1]["sql"], true);
    assert_eq!(
        samples[1]["outputs"],
        serde_json::json!([
            {"line": 36, "django": null, "norun": null, "text": "SELECT COUNT(*) AS \"__count\" FROM \"shop_product\"\n0\n"},
            {"line": 41, "django": "6.1", "norun": null, "text": "0\n"},
        ])
    );
    assert_eq!(samples[2]["norun"], "needs a Redis server");
    assert_eq!(samples[2]["run"], false);
    let code = common::read(&export.join(samples[1]["file"].as_str().unwrap()));
    assert!(code.starts_with("from shop.models import Product"));
}

#[test]
fn a_waiver_without_a_reason_fails_check() {
    let site = site_with_page(&PAGE.replace("norun=\"needs a Redis server\"", "norun"));
    let result = djguide(&["check", "--root", site.root()]);
    assert!(!result.success);
    assert_eq!(
        result.stderr.lines().next().unwrap_or_default(),
        "error: content/orm/count.md:44:11: a `norun` waiver needs a reason",
        "{}",
        result.stderr
    );
}

#[test]
fn an_unknown_sample_database_is_an_error_with_a_suggestion() {
    let site = site_with_page(&PAGE.replace("\"postgresql\"", "\"postgres\""));
    let result = djguide(&["check", "--root", site.root()]);
    assert!(!result.success);
    assert!(
        result
            .stderr
            .starts_with("error: content/orm/count.md:8:19: unknown sample database `postgres`"),
        "{}",
        result.stderr
    );
    assert!(result.stderr.contains("did you mean `postgresql`?"));
}

#[test]
fn readers_see_which_samples_ran_and_on_what() {
    let site = site_with_page(PAGE);
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    let result = djguide(&[
        "build",
        "--root",
        site.root(),
        "--output",
        target.to_str().unwrap(),
    ]);
    assert!(result.success, "{}", result.stderr);
    let html = common::read(&target.join("orm/count/index.html"));
    let mark = "ran on Django 5.2.19 + DRF 3.16.1 · Django 6.1.3 + DRF 3.18.3</span>";
    assert_eq!(html.matches(mark).count(), 2, "both run samples, only them");
    assert!(html.contains(">Output · Django 6.1</figcaption>"));
    let unmarked = common::read(&target.join("orm/n-plus-one/index.html"));
    assert!(!unmarked.contains("code-ran"));
}
