// The one description of the tables, shared by both backends. Kept by hand in step with
// `migrations/{postgres,sqlite}`; the migration round-trip test checks that the two agree.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        display_name -> Text,
        locale -> Text,
        email_verified_at -> Nullable<Timestamp>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_tokens (id) {
        id -> Text,
        user_id -> Text,
        purpose -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        expires_at -> Timestamp,
        spent_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    login_throttles (key) {
        key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> Text,
        recipient -> Text,
        template -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
        sent_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
    }
}

diesel::table! {
    jurisdictions (code) {
        code -> Text,
        name_en -> Text,
        name_zh_hans -> Text,
        name_zh_hant -> Text,
        currency -> Text,
        languages -> Text,
        qualifications_framework -> Text,
        registration_number -> Text,
    }
}

diesel::table! {
    locations (id) {
        id -> Text,
        jurisdiction -> Text,
        kind -> Text,
        parent_id -> Nullable<Text>,
        name_en -> Text,
        name_zh_hans -> Text,
        name_zh_hant -> Text,
    }
}

diesel::table! {
    qualification_levels (id) {
        id -> Text,
        jurisdiction -> Text,
        framework -> Text,
        rank -> Integer,
        name_en -> Text,
        name_zh_hans -> Text,
        name_zh_hant -> Text,
    }
}

diesel::table! {
    level_comparabilities (id) {
        id -> Text,
        from_level_id -> Text,
        to_level_id -> Text,
        relation -> Text,
        authority -> Text,
        source -> Nullable<Text>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    qualifications (id) {
        id -> Text,
        jurisdiction -> Text,
        framework -> Text,
        level_id -> Nullable<Text>,
        kind -> Text,
        title_en -> Text,
        title_zh_hans -> Text,
        title_zh_hant -> Text,
        awarding_body_en -> Text,
        awarding_body_zh_hans -> Text,
        awarding_body_zh_hant -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    equivalences (id) {
        id -> Text,
        from_qualification_id -> Text,
        to_qualification_id -> Nullable<Text>,
        to_jurisdiction -> Text,
        to_level_id -> Nullable<Text>,
        relation -> Text,
        conditions_en -> Nullable<Text>,
        conditions_zh_hans -> Nullable<Text>,
        conditions_zh_hant -> Nullable<Text>,
        authority -> Text,
        source -> Nullable<Text>,
        effective_from -> Date,
        effective_to -> Nullable<Date>,
        verify_before_use -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    work_authorization_bases (code) {
        code -> Text,
        jurisdiction -> Text,
        name_en -> Text,
        name_zh_hans -> Text,
        name_zh_hant -> Text,
        description_en -> Text,
        description_zh_hans -> Text,
        description_zh_hant -> Text,
        authorizes_work -> Bool,
        requires_job_offer -> Bool,
        employer_sponsored -> Bool,
        time_limited -> Bool,
        source -> Text,
        route -> Text,
    }
}

diesel::table! {
    situation_groups (code) {
        code -> Text,
        name_en -> Text,
        name_zh_hans -> Text,
        name_zh_hant -> Text,
        description_en -> Text,
        description_zh_hans -> Text,
        description_zh_hant -> Text,
        rule -> Text,
    }
}

diesel::table! {
    skill_categories (id) {
        id -> Text,
        label_en -> Text,
        label_zh_hans -> Text,
        label_zh_hant -> Text,
    }
}

diesel::table! {
    skills (id) {
        id -> Text,
        category_id -> Text,
        label_en -> Text,
        label_zh_hans -> Text,
        label_zh_hant -> Text,
        aliases -> Text,
    }
}

diesel::table! {
    seed_state (name) {
        name -> Text,
        fingerprint -> Text,
        applied_at -> Timestamp,
    }
}

diesel::table! {
    registry_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Text,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        action -> Text,
        target_type -> Text,
        target_id -> Text,
        request_id -> Nullable<Text>,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
    }
}

diesel::table! {
    candidates (id) {
        id -> Text,
        user_id -> Text,
        display_name -> Text,
        headline -> Text,
        summary -> Text,
        residence_jurisdiction -> Text,
        location_id -> Nullable<Text>,
        desired_jurisdictions -> Text,
        desired_location_ids -> Text,
        salary_amount -> Nullable<BigInt>,
        salary_currency -> Nullable<Text>,
        salary_period -> Nullable<Text>,
        visibility -> Text,
        erased_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        nationality -> Nullable<Text>,
        dependent_children -> Nullable<Integer>,
    }
}

diesel::table! {
    candidate_languages (candidate_id, code) {
        candidate_id -> Text,
        code -> Text,
        level -> Integer,
    }
}

diesel::table! {
    candidate_skills (candidate_id, skill_id) {
        candidate_id -> Text,
        skill_id -> Text,
        level -> Integer,
        years -> Integer,
    }
}

diesel::table! {
    credentials (id) {
        id -> Text,
        candidate_id -> Text,
        qualification_id -> Text,
        awarded_on -> Nullable<Date>,
        status -> Text,
        verification_note -> Nullable<Text>,
        verified_by -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    work_authorizations (id) {
        id -> Text,
        candidate_id -> Text,
        jurisdiction -> Text,
        basis -> Text,
        valid_until -> Nullable<Date>,
        status -> Text,
        verification_note -> Nullable<Text>,
        verified_by -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        candidate_id -> Text,
        purpose -> Text,
        to_jurisdiction -> Text,
        notice_version -> Text,
        granted_at -> Timestamp,
        withdrawn_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    employers (id) {
        id -> Text,
        name -> Text,
        jurisdiction -> Text,
        registration_number -> Text,
        verified -> Bool,
        verification_note -> Nullable<Text>,
        verified_by -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    employer_members (employer_id, user_id) {
        employer_id -> Text,
        user_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    employer_invitations (id) {
        id -> Text,
        employer_id -> Text,
        email -> Text,
        role -> Text,
        token_hash -> Text,
        invited_by -> Text,
        expires_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        employer_id -> Text,
        title -> Text,
        description -> Text,
        location_id -> Text,
        employment_type -> Text,
        salary_min -> BigInt,
        salary_max -> BigInt,
        salary_currency -> Text,
        salary_period -> Text,
        qualification_id -> Nullable<Text>,
        qualification_min_level_id -> Nullable<Text>,
        sponsorship -> Bool,
        status -> Text,
        expires_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    job_skills (job_id, skill_id) {
        job_id -> Text,
        skill_id -> Text,
        min_level -> Integer,
        required -> Bool,
    }
}

diesel::table! {
    job_languages (job_id, code) {
        job_id -> Text,
        code -> Text,
        level -> Integer,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        job_id -> Text,
        candidate_id -> Text,
        cover_letter -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    application_events (id) {
        id -> Text,
        application_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_id -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    case_templates (direction, code) {
        direction -> Text,
        code -> Text,
        title_en -> Text,
        title_zh_hans -> Text,
        title_zh_hant -> Text,
        category -> Text,
        due_in_days -> Integer,
        position -> Integer,
        due_anchor -> Text,
        details -> Text,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        candidate_id -> Text,
        direction -> Text,
        job_id -> Nullable<Text>,
        application_id -> Nullable<Text>,
        summary -> Text,
        status -> Text,
        assignee_id -> Nullable<Text>,
        requested_by_candidate -> Bool,
        opened_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        route -> Nullable<Text>,
        offer_accepted_on -> Nullable<Date>,
        visa_approved_on -> Nullable<Date>,
        arrival_on -> Nullable<Date>,
        employment_start_on -> Nullable<Date>,
    }
}

diesel::table! {
    case_tasks (id) {
        id -> Text,
        case_id -> Text,
        code -> Text,
        title_en -> Text,
        title_zh_hans -> Text,
        title_zh_hant -> Text,
        category -> Text,
        status -> Text,
        due_on -> Nullable<Date>,
        note -> Nullable<Text>,
        position -> Integer,
        updated_at -> Timestamp,
        due_anchor -> Text,
        due_days -> Integer,
        details -> Text,
        route -> Nullable<Text>,
    }
}

diesel::table! {
    case_notes (id) {
        id -> Text,
        case_id -> Text,
        author_id -> Text,
        body -> Text,
        visible_to_candidate -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_reminders (task_id, recipient_id, day) {
        task_id -> Text,
        recipient_id -> Text,
        day -> Date,
    }
}

diesel::table! {
    saved_searches (id) {
        id -> Text,
        user_id -> Text,
        query -> Text,
        filters -> Text,
        frequency -> Text,
        created_at -> Timestamp,
        last_run_at -> Nullable<Timestamp>,
        next_due_at -> Timestamp,
    }
}

diesel::table! {
    saved_search_hits (saved_search_id, job_id) {
        saved_search_id -> Text,
        job_id -> Text,
        notified_at -> Timestamp,
    }
}

diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(locations -> jurisdictions (jurisdiction));
diesel::joinable!(qualifications -> qualification_levels (level_id));
diesel::joinable!(skills -> skill_categories (category_id));
diesel::joinable!(candidates -> users (user_id));
diesel::joinable!(candidate_languages -> candidates (candidate_id));
diesel::joinable!(candidate_skills -> candidates (candidate_id));
diesel::joinable!(credentials -> candidates (candidate_id));
diesel::joinable!(work_authorizations -> candidates (candidate_id));
diesel::joinable!(consents -> candidates (candidate_id));
diesel::joinable!(employer_members -> employers (employer_id));
diesel::joinable!(employer_invitations -> employers (employer_id));
diesel::joinable!(jobs -> employers (employer_id));
diesel::joinable!(job_skills -> jobs (job_id));
diesel::joinable!(job_languages -> jobs (job_id));
diesel::joinable!(applications -> jobs (job_id));
diesel::joinable!(applications -> candidates (candidate_id));
diesel::joinable!(application_events -> applications (application_id));
diesel::joinable!(cases -> candidates (candidate_id));
diesel::joinable!(case_tasks -> cases (case_id));
diesel::joinable!(case_notes -> cases (case_id));
diesel::joinable!(case_reminders -> case_tasks (task_id));
diesel::joinable!(saved_searches -> users (user_id));
diesel::joinable!(saved_search_hits -> saved_searches (saved_search_id));
diesel::joinable!(saved_search_hits -> jobs (job_id));

diesel::table! {
    index_events (id) {
        id -> BigInt,
        kind -> Text,
        target_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users,
    index_events,
    user_tokens,
    refresh_tokens,
    login_throttles,
    mail_outbox,
    jurisdictions,
    locations,
    qualification_levels,
    level_comparabilities,
    qualifications,
    equivalences,
    work_authorization_bases,
    situation_groups,
    skill_categories,
    skills,
    seed_state,
    registry_version,
    audit_log,
    candidates,
    candidate_languages,
    candidate_skills,
    credentials,
    work_authorizations,
    consents,
    employers,
    employer_members,
    employer_invitations,
    jobs,
    job_skills,
    job_languages,
    applications,
    application_events,
    case_templates,
    cases,
    case_tasks,
    case_notes,
    case_reminders,
    saved_searches,
    saved_search_hits,
);
