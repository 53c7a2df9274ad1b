//! Hong Kong, Taiwan and Mainland words for one thing find the same postings: every pair of the
//! shipped vocabulary (the table and the skills' labels) is searched both ways over a market
//! whose postings each use one side's words, and the two searches must return the same jobs.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::json;
use talentbridge::search::schema::vocabulary;

use crate::fixtures::{CN_NUMBER, HK_NUMBER, job_body, officer, publish, verified_employer};
use crate::helpers::{Answer, TestApp};
use crate::on_both_backends;
use crate::search::{hit_ids, search_until};

/// How many postings each side's words are spread over.
const POSTINGS_PER_SIDE: usize = 10;

/// Postings holding only the parts of the Mainland words.
const DECOYS: usize = 5;

/// `软件工程师` → `软件、工程师`: the same characters, no longer one word.
fn cut_in_two(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let (head, tail) = chars.split_at(chars.len() / 2);
    format!(
        "{}、{}",
        head.iter().collect::<String>(),
        tail.iter().collect::<String>()
    )
}

/// One word written on one side and its Mainland form, with the postings that hold each.
struct Pair {
    other: String,
    mainland: String,
    other_posting: usize,
    mainland_posting: usize,
}

fn pairs() -> Vec<Pair> {
    vocabulary::pairs()
        .into_iter()
        .enumerate()
        .map(|(i, (other, mainland))| Pair {
            other,
            mainland,
            other_posting: i % POSTINGS_PER_SIDE,
            // Shifted, so that no two pairs share both postings by construction.
            mainland_posting: (i / POSTINGS_PER_SIDE + i) % POSTINGS_PER_SIDE,
        })
        .collect()
}

fn ids(answer: &Answer) -> BTreeSet<String> {
    hit_ids(answer).into_iter().collect()
}

fn search_path(q: &str) -> String {
    format!("/api/v1/jobs/search?limit=100&q={}", percent_encoded(q))
}

fn percent_encoded(text: &str) -> String {
    text.bytes().map(|b| format!("%{b:02X}")).collect()
}

on_both_backends! {
    async fn each_sides_word_finds_the_postings_written_in_the_others(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (hk_owner, hk) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let (cn_owner, cn) = verified_employer(&app, &officer, "CN", CN_NUMBER).await;
        let pairs = pairs();
        assert!(pairs.len() >= 50, "only {} pairs", pairs.len());

        let mut other_postings = Vec::new();
        let mut mainland_postings = Vec::new();
        for posting in 0..POSTINGS_PER_SIDE {
            let words = |side: fn(&Pair) -> (&str, usize)| {
                pairs
                    .iter()
                    .map(side)
                    .filter(|(_, at)| *at == posting)
                    .map(|(word, _)| word)
                    .collect::<Vec<_>>()
            };
            let hk_words = words(|p| (&p.other, p.other_posting)).join("，");
            let cn_words = words(|p| (&p.mainland, p.mainland_posting)).join("，");
            other_postings.push(
                publish(&app, &hk_owner, job_body(&hk, "hk-wan-chai", "HKD"),
                    json!({"title": format!("職位 {posting}"), "description": format!("我們需要：{hk_words}。")}))
                .await,
            );
            mainland_postings.push(
                publish(&app, &cn_owner, job_body(&cn, "cn-sz-nanshan", "CNY"),
                    json!({"title": format!("职位 {posting}"), "description": format!("我们需要：{cn_words}。")}))
                .await,
            );
        }
        // Decoys: each Mainland word cut in two (软件、工程师). A query that asked for only a part
        // of a rewritten word (工程师 for 軟體工程師) would find these, and its twin would not.
        for posting in 0..DECOYS {
            let halves: Vec<String> = pairs
                .iter()
                .skip(posting)
                .step_by(DECOYS)
                .map(|pair| cut_in_two(&pair.mainland))
                .collect();
            publish(&app, &cn_owner, job_body(&cn, "cn-sz-nanshan", "CNY"),
                json!({"title": format!("岗位 {posting}"), "description": format!("另有：{}。", halves.join("，"))}))
            .await;
        }
        let everything = 2 * POSTINGS_PER_SIDE + DECOYS;
        search_until(&app, "?limit=1", |a| a.body["total"] == everything).await;

        let mut unequal = Vec::new();
        for pair in &pairs {
            let by_other = app.get(&search_path(&pair.other), None).await;
            let by_mainland = app.get(&search_path(&pair.mainland), None).await;
            assert_eq!(by_other.status, StatusCode::OK, "{}: {}", pair.other, by_other.body);
            let (found_by_other, found_by_mainland) = (ids(&by_other), ids(&by_mainland));
            let written_in = [
                &other_postings[pair.other_posting],
                &mainland_postings[pair.mainland_posting],
            ];
            let both_found = written_in.iter().all(|id| found_by_other.contains(*id));
            if found_by_other != found_by_mainland
                || by_other.body["total"] != by_mainland.body["total"]
                || !both_found
            {
                unequal.push(format!(
                    "{} ({} jobs) / {} ({} jobs)",
                    pair.other, by_other.body["total"], pair.mainland, by_mainland.body["total"]
                ));
            }
        }
        assert!(unequal.is_empty(), "{} of {} pairs differ: {unequal:#?}", unequal.len(), pairs.len());
    }
}

on_both_backends! {
    async fn highlights_fall_on_the_words_the_posting_holds(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (hk_owner, hk) = verified_employer(&app, &officer, "HK", HK_NUMBER).await;
        let job = publish(&app, &hk_owner, job_body(&hk, "hk-wan-chai", "HKD"),
            json!({"title": "資深程式設計師", "description": "以記憶體資料庫開發跨境平台，重視質素。"}))
            .await;
        search_until(&app, "?limit=1", |a| a.body["total"] == 1).await;

        let by_mainland = app.get(&search_path("程序员"), None).await;
        assert_eq!(ids(&by_mainland), BTreeSet::from([job.clone()]), "{}", by_mainland.body);
        let title = by_mainland.body["hits"][0]["highlights"]["title"].as_str().unwrap();
        assert_eq!(title, "資深<b>程式設計師</b>");

        // 內存 is written 記憶體 (a longer word) in the posting: the mark still covers all of it.
        let memory = app.get(&search_path("内存 质量"), None).await;
        assert_eq!(ids(&memory), BTreeSet::from([job]), "{}", memory.body);
        let description = memory.body["hits"][0]["highlights"]["description"].as_str().unwrap();
        assert!(description.contains("<b>記憶體</b>"), "{description}");
        assert!(description.contains("<b>質素</b>"), "{description}");
    }
}
