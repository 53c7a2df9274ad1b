//! Every email the service sends, in English, Simplified and Traditional Chinese, as plain text
//! and HTML. Values put into HTML are escaped.

use crate::i18n::Locale;

/// An email to be sent, with what it needs to be written.
#[derive(Debug, Clone)]
pub enum Template {
    VerifyEmail {
        link: String,
    },
    AccountExists {
        login_link: String,
        reset_link: String,
    },
    PasswordReset {
        link: String,
    },
    /// An owner invites someone to join an employer on the platform.
    EmployerInvitation {
        employer: String,
        link: String,
    },
    /// To the employer's members: a candidate applied or withdrew.
    ApplicationReceived {
        job_title: String,
        link: String,
    },
    /// To the candidate: the employer moved their application.
    ApplicationStatusChanged {
        job_title: String,
        status: String,
        link: String,
    },
    /// To an agency officer: tasks of their cases past their due date (titles with dates).
    CaseTasksOverdue {
        tasks: Vec<String>,
        link: String,
    },
    /// To a candidate: the tasks of their case that wait on them.
    CaseTasksWaiting {
        tasks: Vec<String>,
        link: String,
    },
    /// To a candidate: new jobs matching one of their saved searches, one digest per search.
    JobAlert {
        /// The words of the search; empty when it has none (filters only).
        query: String,
        /// Each job: the line shown and its link.
        jobs: Vec<(String, String)>,
        search_link: String,
        manage_link: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Template {
    /// Stored with the outbox row, for operators and tests.
    pub fn name(&self) -> &'static str {
        match self {
            Template::VerifyEmail { .. } => "verify_email",
            Template::AccountExists { .. } => "account_exists",
            Template::PasswordReset { .. } => "password_reset",
            Template::EmployerInvitation { .. } => "employer_invitation",
            Template::ApplicationReceived { .. } => "application_received",
            Template::ApplicationStatusChanged { .. } => "application_status_changed",
            Template::CaseTasksOverdue { .. } => "case_tasks_overdue",
            Template::CaseTasksWaiting { .. } => "case_tasks_waiting",
            Template::JobAlert { .. } => "job_alert",
        }
    }

    pub fn render(&self, locale: Locale) -> Rendered {
        match self {
            Template::VerifyEmail { link } => {
                let (subject, intro, action, outro) = match locale {
                    Locale::En => (
                        "Confirm your email address",
                        "Welcome to TalentBridge. Please confirm your email address to activate your account.",
                        "Confirm my email",
                        "The link is valid for 48 hours. If you did not sign up, ignore this email.",
                    ),
                    Locale::ZhHans => (
                        "请确认您的电子邮箱",
                        "欢迎使用 TalentBridge。请确认您的电子邮箱以启用账户。",
                        "确认邮箱",
                        "链接 48 小时内有效。如果您没有注册，请忽略此邮件。",
                    ),
                    Locale::ZhHant => (
                        "請確認您的電郵地址",
                        "歡迎使用 TalentBridge。請確認您的電郵地址以啟用帳戶。",
                        "確認電郵",
                        "連結 48 小時內有效。如果您沒有登記，請忽略此電郵。",
                    ),
                };
                compose(subject, intro, &[(action, link)], outro)
            }
            Template::AccountExists {
                login_link,
                reset_link,
            } => {
                let (subject, intro, login, reset, outro) = match locale {
                    Locale::En => (
                        "You already have a TalentBridge account",
                        "Someone, perhaps you, tried to sign up with this email address, which already has an account.",
                        "Sign in",
                        "Forgot your password? Reset it",
                        "If it was not you, no action is needed: your account is unchanged.",
                    ),
                    Locale::ZhHans => (
                        "您已有 TalentBridge 账户",
                        "有人（也许是您）尝试用此电子邮箱注册，但该邮箱已有账户。",
                        "登录",
                        "忘记密码？重设密码",
                        "如果不是您本人操作，无需理会：您的账户没有任何改变。",
                    ),
                    Locale::ZhHant => (
                        "您已有 TalentBridge 帳戶",
                        "有人（也許是您）嘗試以此電郵地址登記，但該地址已有帳戶。",
                        "登入",
                        "忘記密碼？重設密碼",
                        "如果不是您本人操作，無需理會：您的帳戶沒有任何改變。",
                    ),
                };
                compose(subject, intro, &[(login, login_link), (reset, reset_link)], outro)
            }
            Template::PasswordReset { link } => {
                let (subject, intro, action, outro) = match locale {
                    Locale::En => (
                        "Reset your password",
                        "We received a request to reset the password of your TalentBridge account.",
                        "Choose a new password",
                        "The link is valid for one hour and works once. If you did not ask, ignore this email.",
                    ),
                    Locale::ZhHans => (
                        "重设您的密码",
                        "我们收到了重设您 TalentBridge 账户密码的请求。",
                        "设置新密码",
                        "链接一小时内有效，只能使用一次。如果不是您本人请求，请忽略此邮件。",
                    ),
                    Locale::ZhHant => (
                        "重設您的密碼",
                        "我們收到了重設您 TalentBridge 帳戶密碼的要求。",
                        "設定新密碼",
                        "連結一小時內有效，只能使用一次。如果不是您本人要求，請忽略此電郵。",
                    ),
                };
                compose(subject, intro, &[(action, link)], outro)
            }
            Template::EmployerInvitation { employer, link } => {
                let (subject, intro, action, outro) = match locale {
                    Locale::En => (
                        format!("Join {employer} on TalentBridge"),
                        format!("You are invited to recruit for {employer} on TalentBridge."),
                        "Accept the invitation",
                        "The invitation is valid for 7 days. Sign up or sign in with this email address first.",
                    ),
                    Locale::ZhHans => (
                        format!("加入 TalentBridge 上的 {employer} 团队"),
                        format!("您获邀在 TalentBridge 上为 {employer} 招聘。"),
                        "接受邀请",
                        "邀请 7 天内有效。请先以此电子邮箱注册或登录。",
                    ),
                    Locale::ZhHant => (
                        format!("加入 TalentBridge 上的 {employer} 團隊"),
                        format!("您獲邀在 TalentBridge 上為 {employer} 招聘。"),
                        "接受邀請",
                        "邀請 7 天內有效。請先以此電郵地址登記或登入。",
                    ),
                };
                compose(&subject, &intro, &[(action, link)], outro)
            }
            Template::ApplicationReceived { job_title, link } => {
                let (subject, intro, action, outro) = match locale {
                    Locale::En => (
                        format!("Application update: {job_title}"),
                        format!("An application to {job_title} was submitted or withdrawn."),
                        "See the applications",
                        "You receive this because you recruit for this employer.",
                    ),
                    Locale::ZhHans => (
                        format!("申请动态：{job_title}"),
                        format!("职位「{job_title}」有申请提交或撤回。"),
                        "查看申请",
                        "您收到此邮件是因为您为该雇主招聘。",
                    ),
                    Locale::ZhHant => (
                        format!("申請動態：{job_title}"),
                        format!("職位「{job_title}」有申請遞交或撤回。"),
                        "查看申請",
                        "您收到此電郵是因為您為該僱主招聘。",
                    ),
                };
                compose(&subject, &intro, &[(action, link)], outro)
            }
            Template::ApplicationStatusChanged {
                job_title,
                status,
                link,
            } => {
                let (subject, intro, action, outro) = match locale {
                    Locale::En => (
                        format!("Your application: {job_title}"),
                        format!("Your application to {job_title} is now: {status}."),
                        "See your application",
                        "Good luck!",
                    ),
                    Locale::ZhHans => (
                        format!("您的申请：{job_title}"),
                        format!("您对职位「{job_title}」的申请现在的状态是：{status}。"),
                        "查看申请",
                        "祝您顺利！",
                    ),
                    Locale::ZhHant => (
                        format!("您的申請：{job_title}"),
                        format!("您對職位「{job_title}」的申請現時的狀態是：{status}。"),
                        "查看申請",
                        "祝您順利！",
                    ),
                };
                compose(&subject, &intro, &[(action, link)], outro)
            }
            Template::CaseTasksOverdue { tasks, link } => {
                let count = tasks.len();
                let list = tasks.join("; ");
                let (subject, intro, action, outro) = match locale {
                    Locale::En => (
                        format!("{count} overdue case task(s)"),
                        format!("These tasks of your cases are past their due date: {list}."),
                        "See your overdue cases",
                        "Update each task, or move its due date, so the candidate knows where they stand.",
                    ),
                    Locale::ZhHans => (
                        format!("{count} 项个案任务已逾期"),
                        format!("您负责的个案中以下任务已过期限：{list}。"),
                        "查看逾期个案",
                        "请更新各项任务或调整期限，让候选人了解进度。",
                    ),
                    Locale::ZhHant => (
                        format!("{count} 項個案任務已逾期"),
                        format!("您負責的個案中以下任務已過期限：{list}。"),
                        "查看逾期個案",
                        "請更新各項任務或調整期限，讓候選人了解進度。",
                    ),
                };
                compose(&subject, &intro, &[(action, link)], outro)
            }
            Template::CaseTasksWaiting { tasks, link } => {
                let list = tasks.join("; ");
                let (subject, intro, action, outro) = match locale {
                    Locale::En => (
                        "Your cross-border case is waiting for you".to_owned(),
                        format!("Your case officer needs you for: {list}."),
                        "See your case",
                        "Reply to your case officer when you have what is needed.",
                    ),
                    Locale::ZhHans => (
                        "您的跨境个案正等待您处理".to_owned(),
                        format!("您的个案主任需要您处理：{list}。"),
                        "查看个案",
                        "准备好所需资料后，请回复您的个案主任。",
                    ),
                    Locale::ZhHant => (
                        "您的跨境個案正等待您處理".to_owned(),
                        format!("您的個案主任需要您處理：{list}。"),
                        "查看個案",
                        "準備好所需資料後，請回覆您的個案主任。",
                    ),
                };
                compose(&subject, &intro, &[(action, link)], outro)
            }
            Template::JobAlert {
                query,
                jobs,
                search_link,
                manage_link,
            } => {
                let count = jobs.len();
                let words = shortened(query, 60);
                let (subject, intro, see_all, manage, outro) = match locale {
                    Locale::En => (
                        if words.is_empty() {
                            format!("{count} new job(s) for your saved search")
                        } else {
                            format!("{count} new job(s) for \u{201c}{words}\u{201d}")
                        },
                        "New jobs match your saved search:",
                        "See every matching job",
                        "Change or delete your saved searches",
                        "You receive this because you saved this search on TalentBridge.",
                    ),
                    Locale::ZhHans => (
                        if words.is_empty() {
                            format!("您保存的搜索有 {count} 个新职位")
                        } else {
                            format!("「{words}」有 {count} 个新职位")
                        },
                        "以下新职位符合您保存的搜索：",
                        "查看所有符合的职位",
                        "修改或删除已保存的搜索",
                        "您收到此邮件是因为您在 TalentBridge 保存了这项搜索。",
                    ),
                    Locale::ZhHant => (
                        if words.is_empty() {
                            format!("您儲存的搜尋有 {count} 個新職位")
                        } else {
                            format!("「{words}」有 {count} 個新職位")
                        },
                        "以下新職位符合您儲存的搜尋：",
                        "查看所有符合的職位",
                        "修改或刪除已儲存的搜尋",
                        "您收到此電郵是因為您在 TalentBridge 儲存了這項搜尋。",
                    ),
                };
                let mut links: Vec<(&str, &String)> =
                    jobs.iter().map(|(line, link)| (line.as_str(), link)).collect();
                links.push((see_all, search_link));
                links.push((manage, manage_link));
                compose(&subject, intro, &links, outro)
            }
        }
    }
}

/// At most `max` characters of `text`, with an ellipsis when cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(max).collect();
        cut.push('…');
        cut
    }
}

/// The one layout every email shares: an introduction, links, a closing line.
fn compose(subject: &str, intro: &str, links: &[(&str, &String)], outro: &str) -> Rendered {
    let mut text = format!("{intro}\n\n");
    let mut html = format!(
        "<!doctype html><html><body style=\"font-family:sans-serif\"><p>{}</p>",
        html_escape::encode_text(intro)
    );
    for (label, url) in links {
        text.push_str(&format!("{label}:\n{url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            html_escape::encode_double_quoted_attribute(url.as_str()),
            html_escape::encode_text(label)
        ));
    }
    text.push_str(outro);
    text.push_str("\n\n— TalentBridge\n");
    html.push_str(&format!(
        "<p>{}</p><p>— TalentBridge</p></body></html>",
        html_escape::encode_text(outro)
    ));
    Rendered {
        subject: subject.to_owned(),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders_in_every_locale_with_its_link() {
        let templates = [
            Template::VerifyEmail {
                link: "https://x/verify?token=abc".into(),
            },
            Template::AccountExists {
                login_link: "https://x/login".into(),
                reset_link: "https://x/reset".into(),
            },
            Template::PasswordReset {
                link: "https://x/reset?token=def".into(),
            },
            Template::EmployerInvitation {
                employer: "ACME".into(),
                link: "https://x/join?token=ghi".into(),
            },
            Template::ApplicationReceived {
                job_title: "Engineer".into(),
                link: "https://x/applications".into(),
            },
            Template::ApplicationStatusChanged {
                job_title: "Engineer".into(),
                status: "interview".into(),
                link: "https://x/applications".into(),
            },
            Template::CaseTasksOverdue {
                tasks: vec!["MPF enrolment (2026-01-01)".into()],
                link: "https://x/agency/cases".into(),
            },
            Template::CaseTasksWaiting {
                tasks: vec!["Bank account".into()],
                link: "https://x/cases".into(),
            },
            Template::JobAlert {
                query: "rust".into(),
                jobs: vec![("Engineer — ACME · Wan Chai".into(), "https://x/jobs/1".into())],
                search_link: "https://x/jobs/search?q=rust".into(),
                manage_link: "https://x/saved-searches".into(),
            },
        ];
        for template in &templates {
            let mut subjects = Vec::new();
            for locale in [Locale::En, Locale::ZhHans, Locale::ZhHant] {
                let rendered = template.render(locale);
                assert!(rendered.text.contains("https://x/"), "{rendered:?}");
                assert!(rendered.html.contains("href=\"https://x/"), "{rendered:?}");
                subjects.push(rendered.subject);
            }
            subjects.dedup();
            assert_eq!(subjects.len(), 3, "each locale has its own subject");
        }
    }

    #[test]
    fn a_job_alert_lists_each_job_with_its_link_and_escapes_it() {
        let rendered = Template::JobAlert {
            query: "<script>".into(),
            jobs: vec![
                ("Data analyst — ACME · 南山区".into(), "https://x/jobs/1".into()),
                ("R&D engineer — B · Futian".into(), "https://x/jobs/2".into()),
            ],
            search_link: "https://x/jobs/search?q=%3Cscript%3E".into(),
            manage_link: "https://x/saved-searches".into(),
        }
        .render(Locale::ZhHant);
        assert!(rendered.subject.contains("2 個新職位"), "{}", rendered.subject);
        assert!(
            rendered
                .text
                .contains("Data analyst — ACME · 南山区:\nhttps://x/jobs/1")
        );
        assert!(rendered.html.contains("R&amp;D engineer"), "{}", rendered.html);
        assert!(!rendered.html.contains("<script>"), "{}", rendered.html);
        let unnamed = Template::JobAlert {
            query: String::new(),
            jobs: vec![("A".into(), "https://x/jobs/1".into())],
            search_link: "https://x/jobs/search?".into(),
            manage_link: "https://x/saved-searches".into(),
        }
        .render(Locale::En);
        assert_eq!(unnamed.subject, "1 new job(s) for your saved search");
    }

    #[test]
    fn links_are_escaped_in_html() {
        let rendered = Template::VerifyEmail {
            link: "https://x/?a=1&b=\"2\"".into(),
        }
        .render(Locale::En);
        assert!(
            rendered.html.contains("a=1&amp;b=&quot;2&quot;"),
            "{}",
            rendered.html
        );
    }
}
