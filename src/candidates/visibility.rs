//! THE consent visibility rule — the one place that decides who may see a candidate. Reads by id,
//! applications' candidate details, search and matches all ask here.
//!
//! - Nobody sees an erased candidate, not even the agency: what remains is a stub kept for
//!   others' records, not a person.
//! - Agency officers and admins see every other candidate; a candidate sees themself.
//! - An employer user sees a candidate through one of the employers it belongs to, and only if
//!   that employer is verified by the agency (unverified organisations could be anyone; letting
//!   them browse people would invite harvesting) and the candidate's visibility is `employers`.
//!   If the employer's jurisdiction differs from the candidate's residence, the candidate must
//!   also hold an active cross-border consent to that jurisdiction (PIPL Art. 39, PDPO DPP3).
//!   Any qualifying membership grants sight; a same-jurisdiction one is preferred, so a read is
//!   only called cross-border when no domestic membership justifies it.
//! - Anyone else sees nobody.
//!
//! Callers answer 404 when the answer is `Hidden`, so nobody learns that a hidden candidate exists,
//! and audit the read when it is `Sight::Employer { cross_border: true, .. }`.

use diesel::prelude::*;

use super::model::{CandidateRecords, CandidateRow, Visibility};
use super::store;
use crate::audit::{self, Actor, Change};
use crate::auth::{AuthUser, Role};
use crate::context::AreaContext;
use crate::db::DbConnection;
use crate::employers::membership::memberships_of;
use crate::error::AppError;

/// Who is reading, as far as the rule cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader<'a> {
    Agency,
    /// The candidate's own account.
    Itself,
    /// An employer user, with the employers it belongs to.
    EmployerUser(&'a [Seat]),
    /// Any other signed-in user (another candidate, an employer account's stranger role).
    Other,
}

/// One employer a reader belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seat {
    pub employer_id: String,
    pub jurisdiction: String,
    pub verified: bool,
}

/// The candidate, as far as the rule cares.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    pub residence_jurisdiction: &'a str,
    pub visibility: Visibility,
    pub erased: bool,
    /// Jurisdictions with an active cross-border consent.
    pub consented_to: &'a [String],
}

/// The verdict, with what the caller needs to audit the read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sight {
    Hidden,
    Agency,
    Itself,
    Employer {
        employer_id: String,
        jurisdiction: String,
        cross_border: bool,
    },
}

impl Sight {
    pub fn is_visible(&self) -> bool {
        *self != Sight::Hidden
    }

    /// Whether the agency's verification notes (on credentials and work authorisations) are
    /// shown: they are the agency's working notes, kept for the candidate's own records too, and
    /// for nobody else: an employer sees the status, not why.
    pub fn sees_verification_notes(&self) -> bool {
        matches!(self, Sight::Agency | Sight::Itself)
    }

    /// Whether the candidate's private situation (nationality, dependent children) is shown:
    /// it decides permit routes and schooling, which are the candidate's and the agency's
    /// business, and would let an employer sort people by nationality.
    pub fn sees_private_situation(&self) -> bool {
        matches!(self, Sight::Agency | Sight::Itself)
    }

    /// An employer read across the boundary: to be audited.
    pub fn is_cross_border(&self) -> bool {
        matches!(
            self,
            Sight::Employer {
                cross_border: true,
                ..
            }
        )
    }
}

/// The rule on plain values.
pub fn decide(subject: Subject<'_>, reader: &Reader<'_>) -> Sight {
    if subject.erased {
        return Sight::Hidden;
    }
    match reader {
        Reader::Agency => Sight::Agency,
        Reader::Itself => Sight::Itself,
        Reader::Other => Sight::Hidden,
        Reader::EmployerUser(seats) => {
            if subject.visibility != Visibility::Employers {
                return Sight::Hidden;
            }
            let qualifying = |seat: &&Seat| {
                seat.verified
                    && (seat.jurisdiction == subject.residence_jurisdiction
                        || subject.consented_to.contains(&seat.jurisdiction))
            };
            let domestic = seats
                .iter()
                .filter(qualifying)
                .find(|seat| seat.jurisdiction == subject.residence_jurisdiction);
            match domestic.or_else(|| seats.iter().find(qualifying)) {
                Some(seat) => Sight::Employer {
                    employer_id: seat.employer_id.clone(),
                    jurisdiction: seat.jurisdiction.clone(),
                    cross_border: seat.jurisdiction != subject.residence_jurisdiction,
                },
                None => Sight::Hidden,
            }
        }
    }
}

/// The rule for a signed-in user and a stored candidate: loads the reader's memberships and the
/// candidate's consents as needed.
pub fn sight(
    conn: &mut DbConnection,
    user_id: &str,
    role: Role,
    candidate: &CandidateRow,
) -> QueryResult<Sight> {
    let seats: Vec<Seat>;
    let reader = if candidate.user_id == user_id && !role.is_agency() {
        Reader::Itself
    } else {
        seats = seats_of(conn, user_id, role)?;
        reader_for(role, &seats)
    };
    let consented_to = match reader {
        Reader::EmployerUser(_) if candidate.erased_at.is_none() => {
            store::consented_jurisdictions(conn, &candidate.id)?
        }
        _ => Vec::new(),
    };
    let subject = Subject {
        residence_jurisdiction: &candidate.residence_jurisdiction,
        visibility: candidate.visibility(),
        erased: candidate.erased_at.is_some(),
        consented_to: &consented_to,
    };
    Ok(decide(subject, &reader))
}

/// The employers an employer user belongs to (none for other roles).
pub fn seats_of(conn: &mut DbConnection, user_id: &str, role: Role) -> QueryResult<Vec<Seat>> {
    if role != Role::Employer {
        return Ok(Vec::new());
    }
    Ok(memberships_of(conn, user_id)?
        .into_iter()
        .map(|m| Seat {
            employer_id: m.employer_id,
            jurisdiction: m.jurisdiction,
            verified: m.employer_verified,
        })
        .collect())
}

/// A reader other than the candidate themself, by role.
pub fn reader_for(role: Role, seats: &[Seat]) -> Reader<'_> {
    if role.is_agency() {
        Reader::Agency
    } else if role == Role::Employer {
        Reader::EmployerUser(seats)
    } else {
        Reader::Other
    }
}

/// A loaded candidate as the rule sees them.
pub fn subject(candidate: &CandidateRecords) -> Subject<'_> {
    Subject {
        residence_jurisdiction: &candidate.row.residence_jurisdiction,
        visibility: candidate.row.visibility(),
        erased: candidate.row.erased_at.is_some(),
        consented_to: &candidate.consented_to,
    }
}

/// The rule as a search filter: whom a reader may find among many candidates. It says what
/// `decide` says for each (erased candidates are not in the index at all), so talent search and
/// matching enforce consent inside the index query instead of filtering a page afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Agency staff: every candidate.
    Everyone,
    /// An employer user: candidates with visibility `employers` who live in one of these
    /// jurisdictions or consent to one of them (the jurisdictions of its verified employers).
    Employers(Vec<String>),
    /// Nobody (a candidate searching, an employer user with no verified employer).
    Nobody,
}

/// Whom a signed-in user may find among many candidates (through every employer they belong to).
pub fn audience(conn: &mut DbConnection, user_id: &str, role: Role) -> QueryResult<Audience> {
    let seats = seats_of(conn, user_id, role)?;
    Ok(audience_of(&reader_for(role, &seats)))
}

/// Whom `reader` may find: what `decide` lets them see, as a filter over many candidates.
pub fn audience_of(reader: &Reader<'_>) -> Audience {
    match reader {
        Reader::Agency => Audience::Everyone,
        Reader::Itself | Reader::Other => Audience::Nobody,
        Reader::EmployerUser(seats) => {
            let mut jurisdictions: Vec<String> = seats
                .iter()
                .filter(|seat| seat.verified)
                .map(|seat| seat.jurisdiction.clone())
                .collect();
            jurisdictions.sort();
            jurisdictions.dedup();
            if jurisdictions.is_empty() {
                Audience::Nobody
            } else {
                Audience::Employers(jurisdictions)
            }
        }
    }
}

/// Who reads a job's matches: the agency, or an employer user through the job's own employer
/// only (not every employer they belong to): the job is what they are hiring for.
pub fn job_reader(agency: bool, job_employer: &Seat) -> Reader<'_> {
    if agency {
        Reader::Agency
    } else {
        Reader::EmployerUser(std::slice::from_ref(job_employer))
    }
}

/// The rule for an applicant, read by the employer of the job applied to. Applying was the
/// candidate's choice to share with this one employer, so profile visibility and verification do
/// not hide them; the boundary still does: across it only with an active consent to the
/// employer's jurisdiction (withdrawing hides the applicant again). Erased applicants are hidden.
/// The same rule says whether a candidate may apply at all: an application the employer could not
/// see would share data across the boundary without consent.
pub fn decide_applicant(subject: Subject<'_>, employer_id: &str, employer_jurisdiction: &str) -> Sight {
    let domestic = subject.residence_jurisdiction == employer_jurisdiction;
    if subject.erased
        || !boundary_allows(
            subject.residence_jurisdiction,
            subject.consented_to,
            employer_jurisdiction,
        )
    {
        return Sight::Hidden;
    }
    Sight::Employer {
        employer_id: employer_id.to_owned(),
        jurisdiction: employer_jurisdiction.to_owned(),
        cross_border: !domestic,
    }
}

/// Whether the boundary lets a candidate's data reach an employer in `employer_jurisdiction`:
/// always on the same side, across it only with an active consent to that jurisdiction.
pub fn boundary_allows(
    residence_jurisdiction: &str,
    consented_to: &[String],
    employer_jurisdiction: &str,
) -> bool {
    residence_jurisdiction == employer_jurisdiction || consented_to.iter().any(|j| j == employer_jurisdiction)
}

/// [`decide_applicant`] for a stored candidate.
pub fn applicant_sight(
    conn: &mut DbConnection,
    candidate: &CandidateRow,
    employer_id: &str,
    employer_jurisdiction: &str,
) -> QueryResult<Sight> {
    let consented_to = if candidate.erased_at.is_none() {
        store::consented_jurisdictions(conn, &candidate.id)?
    } else {
        Vec::new()
    };
    let subject = Subject {
        residence_jurisdiction: &candidate.residence_jurisdiction,
        visibility: candidate.visibility(),
        erased: candidate.erased_at.is_some(),
        consented_to: &consented_to,
    };
    Ok(decide_applicant(subject, employer_id, employer_jurisdiction))
}

/// One employer read of a candidate across the boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossBorderRead {
    pub candidate_id: String,
    pub residence_jurisdiction: String,
    pub employer_id: String,
    pub employer_jurisdiction: String,
}

impl Sight {
    /// The read to audit, when this sight crosses the boundary.
    pub fn cross_border_read(&self, candidate: &CandidateRow) -> Option<CrossBorderRead> {
        match self {
            Sight::Employer {
                employer_id,
                jurisdiction,
                cross_border: true,
            } => Some(CrossBorderRead {
                candidate_id: candidate.id.clone(),
                residence_jurisdiction: candidate.residence_jurisdiction.clone(),
                employer_id: employer_id.clone(),
                employer_jurisdiction: jurisdiction.clone(),
            }),
            _ => None,
        }
    }
}

/// Every cross-border read by an employer goes to the audit log before the answer leaves: the
/// record a regulator or the candidate asks for (who in which jurisdiction saw them, when).
pub async fn record_cross_border_reads(
    ctx: &AreaContext,
    user: &AuthUser,
    reads: Vec<CrossBorderRead>,
) -> Result<(), AppError> {
    if reads.is_empty() {
        return Ok(());
    }
    let actor = Actor::from(user);
    ctx.db
        .write(move |conn| {
            let afters: Vec<serde_json::Value> = reads
                .iter()
                .map(|read| {
                    serde_json::json!({
                        "employer_id": read.employer_id,
                        "employer_jurisdiction": read.employer_jurisdiction,
                        "residence_jurisdiction": read.residence_jurisdiction,
                    })
                })
                .collect();
            let changes = reads.iter().zip(&afters).map(|(read, after)| Change {
                action: "cross_border_read",
                target_type: "candidate",
                target_id: &read.candidate_id,
                before: None::<&()>,
                after: Some(after),
            });
            Ok(audit::record_all(conn, &actor, changes)?)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seat(id: &str, jurisdiction: &str, verified: bool) -> Seat {
        Seat {
            employer_id: id.into(),
            jurisdiction: jurisdiction.into(),
            verified,
        }
    }

    fn subject<'a>(visibility: Visibility, consented_to: &'a [String]) -> Subject<'a> {
        Subject {
            residence_jurisdiction: "CN",
            visibility,
            erased: false,
            consented_to,
        }
    }

    fn employer(id: &str, jurisdiction: &str, cross_border: bool) -> Sight {
        Sight::Employer {
            employer_id: id.into(),
            jurisdiction: jurisdiction.into(),
            cross_border,
        }
    }

    const NONE: &[String] = &[];

    #[test]
    fn erased_candidates_are_hidden_from_everyone() {
        let hk = vec!["HK".to_owned()];
        let seats = [seat("e", "CN", true)];
        let erased = Subject {
            erased: true,
            ..subject(Visibility::Employers, &hk)
        };
        for reader in [
            Reader::Agency,
            Reader::Itself,
            Reader::Other,
            Reader::EmployerUser(&seats),
        ] {
            assert_eq!(decide(erased, &reader), Sight::Hidden, "{reader:?}");
        }
    }

    #[test]
    fn agency_and_self_see_private_candidates() {
        assert_eq!(
            decide(subject(Visibility::Private, NONE), &Reader::Agency),
            Sight::Agency
        );
        assert_eq!(
            decide(subject(Visibility::Private, NONE), &Reader::Itself),
            Sight::Itself
        );
    }

    #[test]
    fn other_readers_see_nobody() {
        assert_eq!(
            decide(subject(Visibility::Employers, NONE), &Reader::Other),
            Sight::Hidden
        );
        assert_eq!(
            decide(subject(Visibility::Employers, NONE), &Reader::EmployerUser(&[])),
            Sight::Hidden
        );
    }

    #[test]
    fn private_candidates_are_hidden_from_employers_even_with_consent() {
        let hk = vec!["HK".to_owned()];
        let seats = [seat("cn", "CN", true), seat("hk", "HK", true)];
        assert_eq!(
            decide(subject(Visibility::Private, &hk), &Reader::EmployerUser(&seats)),
            Sight::Hidden
        );
    }

    #[test]
    fn same_jurisdiction_verified_employers_see_without_consent() {
        let seats = [seat("cn", "CN", true)];
        assert_eq!(
            decide(
                subject(Visibility::Employers, NONE),
                &Reader::EmployerUser(&seats)
            ),
            employer("cn", "CN", false)
        );
    }

    #[test]
    fn unverified_employers_see_nobody() {
        let hk = vec!["HK".to_owned()];
        let seats = [seat("cn", "CN", false), seat("hk", "HK", false)];
        assert_eq!(
            decide(subject(Visibility::Employers, &hk), &Reader::EmployerUser(&seats)),
            Sight::Hidden
        );
    }

    #[test]
    fn cross_border_needs_an_active_consent_to_that_jurisdiction() {
        let seats = [seat("hk", "HK", true)];
        assert_eq!(
            decide(
                subject(Visibility::Employers, NONE),
                &Reader::EmployerUser(&seats)
            ),
            Sight::Hidden
        );
        let elsewhere = vec!["MO".to_owned()];
        assert_eq!(
            decide(
                subject(Visibility::Employers, &elsewhere),
                &Reader::EmployerUser(&seats)
            ),
            Sight::Hidden
        );
        let hk = vec!["HK".to_owned()];
        assert_eq!(
            decide(subject(Visibility::Employers, &hk), &Reader::EmployerUser(&seats)),
            employer("hk", "HK", true)
        );
    }

    #[test]
    fn any_qualifying_membership_grants_sight_preferring_a_domestic_one() {
        let hk = vec!["HK".to_owned()];
        // An unverified domestic seat does not hide what a verified cross-border seat may see.
        let seats = [seat("cn-unverified", "CN", false), seat("hk", "HK", true)];
        assert_eq!(
            decide(subject(Visibility::Employers, &hk), &Reader::EmployerUser(&seats)),
            employer("hk", "HK", true)
        );
        // With a verified domestic seat too, the read is domestic.
        let seats = [seat("hk", "HK", true), seat("cn", "CN", true)];
        assert_eq!(
            decide(subject(Visibility::Employers, &hk), &Reader::EmployerUser(&seats)),
            employer("cn", "CN", false)
        );
        assert!(employer("hk", "HK", true).is_cross_border());
        assert!(!employer("cn", "CN", false).is_cross_border());
        assert!(!Sight::Hidden.is_visible());
    }

    #[test]
    fn verification_notes_are_for_the_agency_and_the_candidate_only() {
        assert!(Sight::Agency.sees_verification_notes());
        assert!(Sight::Itself.sees_verification_notes());
        assert!(!employer("cn", "CN", false).sees_verification_notes());
        assert!(!Sight::Hidden.sees_verification_notes());
    }

    #[test]
    fn the_audience_is_what_decide_lets_each_reader_see() {
        assert_eq!(audience_of(&Reader::Agency), Audience::Everyone);
        assert_eq!(audience_of(&Reader::Itself), Audience::Nobody);
        assert_eq!(audience_of(&Reader::Other), Audience::Nobody);
        let unverified = [seat("cn", "CN", false)];
        assert_eq!(audience_of(&Reader::EmployerUser(&unverified)), Audience::Nobody);
        let seats = [
            seat("hk", "HK", true),
            seat("cn", "CN", false),
            seat("hk2", "HK", true),
            seat("cn2", "CN", true),
        ];
        assert_eq!(
            audience_of(&Reader::EmployerUser(&seats)),
            Audience::Employers(vec!["CN".into(), "HK".into()])
        );
        // A job's matches are read through the job's employer alone.
        let job_employer = seat("hk", "HK", true);
        assert_eq!(
            audience_of(&job_reader(false, &job_employer)),
            Audience::Employers(vec!["HK".into()])
        );
        assert_eq!(audience_of(&job_reader(true, &job_employer)), Audience::Everyone);
        let unverified = seat("hk", "HK", false);
        assert_eq!(audience_of(&job_reader(false, &unverified)), Audience::Nobody);
    }

    /// The filter `search::talent_search::audience_filter` builds from an audience, on plain values.
    fn admits(audience: &Audience, subject: Subject<'_>) -> bool {
        match audience {
            Audience::Everyone => !subject.erased,
            Audience::Nobody => false,
            Audience::Employers(jurisdictions) => {
                !subject.erased
                    && subject.visibility == Visibility::Employers
                    && jurisdictions
                        .iter()
                        .any(|j| *j == subject.residence_jurisdiction || subject.consented_to.contains(j))
            }
        }
    }

    #[test]
    fn whom_a_reader_finds_is_whom_the_reader_may_see() {
        let consents = [vec![], vec!["HK".to_owned()], vec!["MO".to_owned()]];
        let seat_sets = [
            vec![],
            vec![seat("cn", "CN", true)],
            vec![seat("hk", "HK", true)],
            vec![seat("hk", "HK", false)],
            vec![seat("cn", "CN", false), seat("hk", "HK", true)],
        ];
        for visibility in [Visibility::Private, Visibility::Employers] {
            for consented_to in &consents {
                for erased in [false, true] {
                    let subject = Subject {
                        erased,
                        ..subject(visibility, consented_to)
                    };
                    let mut readers = vec![Reader::Agency, Reader::Other];
                    readers.extend(seat_sets.iter().map(|seats| Reader::EmployerUser(seats)));
                    for reader in readers {
                        assert_eq!(
                            admits(&audience_of(&reader), subject),
                            decide(subject, &reader).is_visible(),
                            "{reader:?} {subject:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn an_applicant_is_seen_by_the_employer_applied_to_while_the_boundary_allows() {
        let hk = vec!["HK".to_owned()];
        // Private profiles do not hide an applicant from the employer they applied to.
        assert_eq!(
            decide_applicant(subject(Visibility::Private, NONE), "cn", "CN"),
            employer("cn", "CN", false)
        );
        assert_eq!(
            decide_applicant(subject(Visibility::Employers, NONE), "hk", "HK"),
            Sight::Hidden
        );
        assert_eq!(
            decide_applicant(subject(Visibility::Private, &hk), "hk", "HK"),
            employer("hk", "HK", true)
        );
        let erased = Subject {
            erased: true,
            ..subject(Visibility::Employers, &hk)
        };
        assert_eq!(decide_applicant(erased, "cn", "CN"), Sight::Hidden);
    }
}
