//! The JSON formats, read as a stream: Prowler's OCSF array, Security Hub's
//! `{"Findings": [...]}` and Service Screener's `api-full.json`. Each finding is decoded,
//! counted and dropped before the next is read.

use std::collections::HashMap;
use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::tally::{Outcome, Row, Tally};
use super::{Failure, lenient_time};
use crate::assessment::scan::Source;

/// The key of the FTR in Prowler's `unmapped.compliance`.
const PROWLER_FTR: &str = "AWS-Foundational-Technical-Review";

/// One element of a findings array: the fields of OCSF and of ASFF that matter, both optional.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Item {
    // Prowler OCSF
    status_code: Option<String>,
    status: Option<String>,
    metadata: Option<OcsfMetadata>,
    time_dt: Option<String>,
    time: Option<f64>,
    resources: Option<Vec<OcsfResource>>,
    cloud: Option<OcsfCloud>,
    unmapped: Option<OcsfUnmapped>,
    // ASFF (Security Hub, or Prowler's own ASFF output)
    #[serde(rename = "SchemaVersion")]
    schema_version: Option<IgnoredAny>,
    #[serde(rename = "ProductArn")]
    product_arn: Option<String>,
    #[serde(rename = "AwsAccountId")]
    aws_account_id: Option<String>,
    #[serde(rename = "Region")]
    region: Option<String>,
    #[serde(rename = "Resources")]
    asff_resources: Option<Vec<AsffResource>>,
    #[serde(rename = "RecordState")]
    record_state: Option<String>,
    #[serde(rename = "Workflow")]
    workflow: Option<AsffWorkflow>,
    #[serde(rename = "Compliance")]
    compliance: Option<AsffCompliance>,
    #[serde(rename = "GeneratorId")]
    generator_id: Option<String>,
    #[serde(rename = "UpdatedAt")]
    updated_at: Option<String>,
    #[serde(rename = "LastObservedAt")]
    last_observed_at: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfMetadata {
    event_code: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfResource {
    uid: Option<String>,
    region: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfCloud {
    account: Option<OcsfAccount>,
    region: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfAccount {
    uid: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OcsfUnmapped {
    compliance: Option<FtrIds>,
}

/// The FTR's requirement ids in `unmapped.compliance`; other frameworks' entries are skipped
/// unread, whatever their shape.
#[derive(Default)]
struct FtrIds(Vec<String>);

impl<'de> Deserialize<'de> for FtrIds {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<FtrIds, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FtrIds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object from framework to requirement ids")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FtrIds, A::Error> {
                let mut ids = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key.starts_with(PROWLER_FTR) {
                        let value: serde_json::Value = map.next_value()?;
                        match value {
                            serde_json::Value::Array(list) => ids.extend(
                                list.into_iter()
                                    .filter_map(|v| v.as_str().map(str::to_string)),
                            ),
                            serde_json::Value::String(one) => ids.push(one),
                            _ => {}
                        }
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(FtrIds(ids))
            }
            fn visit_unit<E: de::Error>(self) -> Result<FtrIds, E> {
                Ok(FtrIds::default())
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AsffResource {
    #[serde(rename = "Id")]
    id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AsffWorkflow {
    #[serde(rename = "Status")]
    status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AsffCompliance {
    #[serde(rename = "Status")]
    status: Option<String>,
    #[serde(rename = "SecurityControlId")]
    security_control_id: Option<String>,
}

/// Service Screener's `framework_FTR`.
#[derive(Deserialize)]
struct ScreenerFtr {
    details: Vec<Vec<serde_json::Value>>,
}

/// Security Hub control id (`IAM.5`) to the FTR controls that name it.
pub type HubMap = HashMap<String, Vec<String>>;

/// What a JSON file turned out to be, once read.
pub struct JsonRead {
    pub source: Source,
    /// Security Hub: the file is one page of several.
    pub more_pages: bool,
}

struct State<'a> {
    tally: &'a mut Tally,
    hub: &'a HubMap,
    meter: &'a super::Meter,
    source: Option<Source>,
    stop: Option<Failure>,
    more_pages: bool,
    /// Keys of the top-level object, when it is one.
    framework_keys: Vec<String>,
    saw_findings_key: bool,
    items: u64,
    /// The file is a JSON array.
    is_array: bool,
}

impl State<'_> {
    fn fail<E: de::Error>(&mut self, failure: Failure) -> E {
        self.stop = Some(failure);
        E::custom("stopped")
    }

    fn item<E: de::Error>(&mut self, item: Item, in_findings: bool) -> Result<(), E> {
        self.items += 1;
        let asff = item.schema_version.is_some() || item.product_arn.is_some();
        let kind = if in_findings {
            Source::SecurityHub
        } else if asff {
            if item
                .product_arn
                .as_deref()
                .is_some_and(|a| a.contains("/prowler/"))
            {
                return Err(self.fail(Failure::plain(
                    "is Prowler's ASFF output, which ftr does not import: it turns MANUAL results into NOT_AVAILABLE and cuts the requirement lists at 63 characters".into(),
                    "import Prowler's FTR compliance CSV (output/compliance/*_aws_foundational_technical_review_aws.csv) or its OCSF JSON (-M json-ocsf) instead",
                )));
            }
            Source::SecurityHub
        } else if item.status_code.is_some() || item.unmapped.is_some() {
            Source::ProwlerOcsf
        } else {
            return Err(self.fail(Failure::plain(
                format!(
                    "finding {} has neither Prowler's OCSF fields (status_code, unmapped) nor Security Hub's (SchemaVersion, Compliance)",
                    self.items
                ),
                super::KNOWN,
            )));
        };
        match self.source {
            None => self.source = Some(kind),
            Some(s) if s != kind => {
                return Err(self.fail(Failure::plain(
                    format!(
                        "mixes {} and {} findings (finding {} is the first of the second kind)",
                        s.describe(),
                        kind.describe(),
                        self.items
                    ),
                    "import each tool's output from its own file",
                )));
            }
            Some(_) => {}
        }
        self.tally.findings += 1;
        let result = match kind {
            Source::ProwlerOcsf => self.ocsf(item),
            _ => self.hub_finding(item),
        };
        result.map_err(|m| self.fail(Failure::plain(m, "this is not an FTR scan")))
    }

    fn ocsf(&mut self, item: Item) -> Result<(), String> {
        let ids: Vec<String> = item
            .unmapped
            .and_then(|u| u.compliance)
            .map(|c| c.0)
            .unwrap_or_default();
        let outcome = match item
            .status_code
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            Some("PASS") => Outcome::Pass,
            Some("FAIL") => Outcome::Fail,
            _ => Outcome::Manual,
        };
        let muted = item
            .status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("suppressed"));
        let first = item.resources.as_ref().and_then(|r| r.first());
        let resource = first.and_then(|r| r.uid.clone()).unwrap_or_default();
        let region = first
            .and_then(|r| r.region.clone())
            .or_else(|| item.cloud.as_ref().and_then(|c| c.region.clone()))
            .unwrap_or_default();
        let account = item
            .cloud
            .and_then(|c| c.account)
            .and_then(|a| a.uid)
            .unwrap_or_default();
        let time = item.time_dt.as_deref().and_then(lenient_time).or_else(|| {
            item.time
                .filter(|t| t.is_finite())
                .and_then(|t| crate::dates::Timestamp::from_unix(t as i64))
        });
        if time.is_none() {
            self.tally
                .unreadable_time("time_dt", item.time_dt.as_deref().unwrap_or_default());
        }
        let check = item.metadata.and_then(|m| m.event_code).unwrap_or_default();
        let resources: Vec<&str> = [resource.as_str()]
            .into_iter()
            .filter(|r| !r.is_empty())
            .collect();
        let row = Row {
            outcome,
            muted,
            check: &check,
            resources: &resources,
            account: &account,
            region: &region,
            time,
        };
        if ids.is_empty() {
            self.tally.unmapped += 1;
            self.tally.note(&account, &region, time);
            return Ok(());
        }
        self.tally.add(ids.iter().map(String::as_str), &row)
    }

    fn hub_finding(&mut self, item: Item) -> Result<(), String> {
        let account = item.aws_account_id.unwrap_or_default();
        let region = item.region.unwrap_or_default();
        let written = [
            ("LastObservedAt", item.last_observed_at.as_deref()),
            ("UpdatedAt", item.updated_at.as_deref()),
        ];
        let time = written.iter().find_map(|(_, t)| t.and_then(lenient_time));
        if time.is_none()
            && let Some((field, Some(text))) = written.iter().find(|(_, t)| t.is_some())
        {
            self.tally.unreadable_time(field, text);
        }
        if item
            .record_state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("archived"))
        {
            self.tally.archived += 1;
            return Ok(());
        }
        let compliance = item.compliance.unwrap_or_default();
        let control = compliance.security_control_id.clone().or_else(|| {
            item.generator_id
                .as_deref()
                .and_then(|g| g.strip_prefix("security-control/"))
                .map(str::to_string)
        });
        let ftr = control.as_deref().and_then(|c| self.hub.get(c));
        let Some(ftr) = ftr else {
            self.tally.unmapped += 1;
            self.tally.note(&account, &region, time);
            return Ok(());
        };
        let outcome = match compliance
            .status
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            Some("PASSED") => Outcome::Pass,
            Some("FAILED") => Outcome::Fail,
            _ => Outcome::Manual,
        };
        let muted = item
            .workflow
            .and_then(|w| w.status)
            .is_some_and(|s| s.eq_ignore_ascii_case("suppressed"));
        let resources: Vec<String> = item
            .asff_resources
            .unwrap_or_default()
            .into_iter()
            .filter_map(|r| r.id)
            .collect();
        let resources: Vec<&str> = resources.iter().map(String::as_str).collect();
        let row = Row {
            outcome,
            muted,
            check: control.as_deref().unwrap_or_default(),
            resources: &resources,
            account: &account,
            region: &region,
            time,
        };
        let ftr = ftr.clone();
        self.tally.add(ftr.iter().map(String::as_str), &row)
    }

    fn screener(&mut self, ftr: ScreenerFtr) -> Result<(), String> {
        for (n, row) in ftr.details.iter().enumerate() {
            let id = row.get(1).and_then(|v| v.as_str());
            let comp = row.get(2).and_then(|v| v.as_i64());
            let (Some(id), Some(comp)) = (id, comp) else {
                return Err(format!(
                    "framework_FTR.details[{n}] is not [section, id, 1|0|-1, checks, links]"
                ));
            };
            let checks = row.get(3).and_then(|v| v.as_str()).unwrap_or_default();
            self.tally.findings += 1;
            super::html::screener_row(self.tally, id, comp, checks)?;
        }
        Ok(())
    }
}

struct Top<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of findings or an object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.is_array = true;
        self.0.meter.reset();
        while let Some(item) = seq.next_element::<Item>()? {
            self.0.item(item, false)?;
            self.0.meter.reset();
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = {
            self.0.meter.reset();
            map.next_key::<String>()?
        } {
            match key.as_str() {
                "Findings" => {
                    self.0.saw_findings_key = true;
                    map.next_value_seed(Findings(self.0))?;
                }
                "NextToken" => {
                    let token: Option<String> = map.next_value()?;
                    self.0.more_pages = token.is_some_and(|t| !t.is_empty());
                }
                "framework_FTR" => {
                    let ftr: ScreenerFtr = map.next_value()?;
                    self.0.source = Some(Source::ServiceScreenerJson);
                    self.0.screener(ftr).map_err(|m| {
                        self.0.fail::<A::Error>(Failure::plain(
                            m,
                            "export it again from Service Screener",
                        ))
                    })?;
                }
                k if k.starts_with("framework_") => {
                    if self.0.framework_keys.len() < 20 {
                        self.0.framework_keys.push(k.to_string());
                    }
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Findings<'s, 'a>(&'s mut State<'a>);

impl<'de> DeserializeSeed<'de> for Findings<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Findings<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of Security Hub findings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.source = Some(Source::SecurityHub);
        self.0.meter.reset();
        while let Some(item) = seq.next_element::<Item>()? {
            self.0.item(item, true)?;
            self.0.meter.reset();
        }
        Ok(())
    }
}

/// Reads a JSON scan from `input`.
pub fn read(
    input: impl Read,
    tally: &mut Tally,
    hub: &HubMap,
    meter: &super::Meter,
) -> Result<JsonRead, Failure> {
    let mut state = State {
        tally,
        hub,
        meter,
        source: None,
        stop: None,
        more_pages: false,
        framework_keys: Vec::new(),
        saw_findings_key: false,
        items: 0,
        is_array: false,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let result = Top(&mut state).deserialize(&mut de).and_then(|()| de.end());
    if let Some(failure) = state.stop.take() {
        return Err(failure);
    }
    if let Err(e) = result {
        return Err(json_failure(&e));
    }
    match state.source {
        Some(source) => Ok(JsonRead {
            source,
            more_pages: state.more_pages,
        }),
        None if state.saw_findings_key => Ok(JsonRead {
            source: Source::SecurityHub,
            more_pages: state.more_pages,
        }),
        None if !state.framework_keys.is_empty() => Err(Failure::plain(
            format!(
                "is Service Screener output without FTR results (it has {})",
                state.framework_keys.join(", ")
            ),
            "run Service Screener again with the FTR framework (--frameworks FTR) and import its api-full.json",
        )),
        None if state.items == 0 && state.is_array => Err(Failure::plain(
            "holds no findings".into(),
            "check the scan ran against the right accounts, then export it again",
        )),
        None => Err(Failure::plain(
            "is a JSON object ftr does not know".into(),
            super::KNOWN,
        )),
    }
}

fn json_failure(e: &serde_json::Error) -> Failure {
    let at = Some((e.line(), e.column()));
    let text = e.to_string();
    // serde_json appends " at line L column C"; the position is shown separately.
    let text = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(t, _)| t)
        .to_string();
    match e.classify() {
        serde_json::error::Category::Eof => Failure {
            at,
            message: "the JSON ends early: the file looks cut short".into(),
            hint: "export or download it again".into(),
        },
        serde_json::error::Category::Io if super::Meter::is_oversized(e) => Failure {
            at,
            message: "one finding runs past 64 MB: the file is damaged or not a scan".into(),
            hint: "export it again from the tool".into(),
        },
        serde_json::error::Category::Io => Failure::plain(
            format!("could not be read: {text}"),
            "check the file is readable and try again",
        ),
        serde_json::error::Category::Syntax => Failure {
            at,
            message: format!("is not valid JSON: {text}"),
            hint: "the file looks damaged: export or download it again".into(),
        },
        serde_json::error::Category::Data => Failure {
            at,
            message: format!("holds a value of the wrong kind: {text}"),
            hint: "the file looks edited or damaged: export it again from the tool".into(),
        },
    }
}
