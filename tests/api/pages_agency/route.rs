//! A case's route chosen on its page: the destination's routes offered, the route's steps in the
//! checklist, and a basis of another place refused beside the field.

use reqwest::StatusCode;
use serde_json::Value;

use super::{browser_for, case_by_api, id_of, open_case};
use crate::fixtures::{candidate, officer};
use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends! {
    async fn an_officer_sets_a_cases_route_from_its_page(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let officer = officer(&app).await;
        let (_, candidate_id) = candidate(&app, "CN").await;
        let id = id_of(&open_case(&app, &officer, &candidate_id, "Moving for a new job").await);
        let mut browser = browser_for(&app, &officer).await;
        let path = format!("/agency/cases/{id}/route");

        let page = browser.get(&format!("/agency/cases/{id}")).await;
        assert!(page.contains("<label for=\"case-route\">Route</label>"), "{}", page.html);
        assert!(page.contains("<option value=\"HK_ASMTP\" selected>"), "the route chosen at opening is shown");
        assert!(page.contains("<option value=\"HK_TTPS\">"), "Hong Kong's other routes are offered for CN_TO_HK");
        assert!(!page.contains("<option value=\"CN_FOREIGN_WORK_PERMIT\">"), "the Mainland's are not");

        let refused = browser.submit(&path, &[("route", "CN_FOREIGN_WORK_PERMIT")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.html);
        assert!(refused.contains("<p class=\"error\" id=\"case-route-error\">Choose a route of the destination from the list.</p>"), "{}", refused.html);
        assert_eq!(case_by_api(&app, &officer, &id).await["route"], "HK_ASMTP", "nothing changes");

        let set = browser.submit(&path, &[("route", "HK_TTPS")]).await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.html);
        let case = case_by_api(&app, &officer, &id).await;
        assert_eq!(case["route"], "HK_TTPS");
        let routes: Vec<&Value> = case["tasks"].as_array().unwrap().iter().map(|t| &t["route"]).filter(|r| !r.is_null()).collect();
        assert!(!routes.is_empty() && routes.iter().all(|r| *r == "HK_TTPS"), "the new route's steps replace the old: {routes:?}");
        let page = browser.get(&format!("/agency/cases/{id}")).await;
        assert!(page.contains("<option value=\"HK_TTPS\" selected>"));
        assert!(page.contains("Route changed</strong>: Top Talent Pass Scheme"), "the timeline shows the change");
    }
}
