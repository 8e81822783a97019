"""IT-support domain tasks for the bundled pack (hand-written; see ``synthagent_env/packs/build.py``)."""

TASKS = [
    # ---- 1. MFA reset after a stolen phone: verify, revoke the old factor, re-enrol safely ----
    {
        "id": "it-support-mfa-reset-stolen-phone",
        "domain": "it_support",
        "persona": "A regional sales manager travelling between client visits, stressed because she is locked out right before a pitch.",
        "instruction": "I lost my phone and now I can't get past the two-factor prompt, please help me get back in.",
        "hidden_context": (
            "You are Maria Lindqvist, employee id E-20417, in Sales. Your work phone (an iPhone 13) was taken from "
            "your bag at Arlanda airport yesterday, so you believe it was stolen rather than lost. You cannot read "
            "work email because of the MFA prompt. You are working from the Berlin office today and can collect an "
            "enrolment code at the IT desk there. Your manager Daniel Okafor is reachable on Teams."
        ),
        "hidden_facts": [
            {
                "key": "employee_id",
                "value": "E-20417",
                "statement": "My employee id is E-20417.",
                "keywords": ["employee id", "employee number", "staff id", "staff number"],
            },
            {
                "key": "loss_type",
                "value": "stolen",
                "statement": "I'm fairly sure it was stolen, it was taken from my bag at the airport.",
                "keywords": ["stolen", "what happened to", "how did you lose"],
            },
            {
                "key": "code_pickup",
                "value": "IT desk",
                "statement": "I'm in the Berlin office today, so I can collect a code at the IT desk.",
                "keywords": ["enrolment code", "enrollment code", "receive the code", "collect", "pick up", "deliver"],
                "aliases": ["it_desk_pickup"],
            },
        ],
        "tools": [
            {
                "name": "lookup_user_account",
                "description": "Look up an employee's directory account, including status, manager and registered MFA devices.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$", "description": "Employee id, e.g. E-12345"}
                    },
                    "required": ["employee_id"],
                    "additionalProperties": False,
                },
                "output_description": "The account's name, department, status, manager and the list of registered MFA devices (device_id, type, label).",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string"},
                        "name": {"type": "string"},
                        "department": {"type": "string"},
                        "account_status": {"type": "string", "enum": ["active", "locked", "disabled"]},
                        "manager": {"type": "string"},
                        "mfa_devices": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "device_id": {"type": "string"},
                                    "type": {"type": "string"},
                                    "label": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "revoke_mfa_device",
                "description": "Remove a registered MFA device from an account and end all sessions started from it.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "device_id": {"type": "string"},
                        "reason": {"type": "string", "enum": ["lost", "stolen", "replaced"]},
                    },
                    "required": ["employee_id", "device_id", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the device was revoked, how many sessions were ended, and a security case id for stolen devices.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "revoked": {"type": "boolean"},
                        "sessions_ended": {"type": "integer"},
                        "security_case_id": {"type": ["string", "null"]},
                    },
                },
            },
            {
                "name": "request_manager_approval",
                "description": "Ask the employee's line manager to approve a sensitive account change; returns once the manager has answered.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "request_type": {"type": "string", "enum": ["mfa_reset", "password_reset", "account_unlock"]},
                    },
                    "required": ["employee_id", "request_type"],
                    "additionalProperties": False,
                },
                "output_description": "The approval id, the approving manager and whether the request was approved.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "approval_id": {"type": "string"},
                        "approver": {"type": "string"},
                        "status": {"type": "string", "enum": ["approved", "rejected", "pending"]},
                    },
                },
            },
            {
                "name": "reset_mfa",
                "description": "Clear an account's MFA registration and issue a one-time enrolment code for a new factor.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "approval_id": {"type": "string", "description": "Manager approval id from request_manager_approval"},
                        "new_method": {"type": "string", "enum": ["authenticator_app", "hardware_key", "sms"]},
                        "code_delivery": {"type": "string", "enum": ["it_desk_pickup", "manager", "personal_email"]},
                    },
                    "required": ["employee_id", "approval_id", "new_method", "code_delivery"],
                    "additionalProperties": False,
                },
                "output_description": "The enrolment ticket id, where the one-time code can be collected and when it expires.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "enrolment_ticket": {"type": "string"},
                        "collect_at": {"type": "string"},
                        "code_expires": {"type": "string"},
                    },
                },
            },
            {
                "name": "reset_password",
                "description": "Force a password reset and send a temporary password to the employee.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "delivery": {"type": "string", "enum": ["sms", "manager", "it_desk_pickup"]},
                    },
                    "required": ["employee_id", "delivery"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation that a temporary password was issued.",
                "distractor": True,
            },
            {
                "name": "list_conference_rooms",
                "description": "List bookable conference rooms in an office.",
                "parameters": {
                    "type": "object",
                    "properties": {"office": {"type": "string"}},
                    "required": ["office"],
                    "additionalProperties": False,
                },
                "output_description": "Rooms with capacity and equipment.",
                "distractor": True,
            },
        ],
        "policy": [
            "An MFA reset needs an approved manager approval id.",
            "A lost or stolen device must be revoked before a new factor is enrolled.",
            "New factors must be authenticator_app or hardware_key; SMS is no longer allowed as a second factor.",
            "reset_mfa must NOT deliver the enrolment code to a personal_email address; codes go to the IT desk or the manager.",
        ],
        "workflow": [
            "Ask for the employee id and look up the account to find the registered phone.",
            "Ask whether the phone was lost or stolen.",
            "Revoke the old phone with that reason, ending its sessions.",
            "Get manager approval for an MFA reset.",
            "Ask where the user can receive the enrolment code and reset MFA to the authenticator app with that delivery.",
            "Give the user the enrolment ticket and where to collect the code.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_account", "description": "Looked up account E-20417.",
                 "check": {"kind": "tool_call", "tool": "lookup_user_account", "arguments": {"employee_id": "E-20417"}}},
                {"id": "revoked_stolen_phone", "description": "Revoked the old phone as stolen.",
                 "check": {"kind": "tool_call", "tool": "revoke_mfa_device",
                           "arguments": {"employee_id": "E-20417", "device_id": "DEV-PH-8812", "reason": "stolen"}}},
                {"id": "got_manager_approval", "description": "Requested manager approval for an MFA reset.",
                 "check": {"kind": "tool_call", "tool": "request_manager_approval",
                           "arguments": {"employee_id": "E-20417", "request_type": "mfa_reset"}}},
                {"id": "reset_mfa_safely", "description": "Reset MFA to the authenticator app with the code collected at the IT desk.",
                 "check": {"kind": "tool_call", "tool": "reset_mfa",
                           "arguments": {"employee_id": "E-20417", "approval_id": "APR-55120",
                                         "new_method": "authenticator_app", "code_delivery": "it_desk_pickup"}}},
                {"id": "told_ticket", "description": "Gave the user the enrolment ticket id.",
                 "check": {"kind": "answer_contains", "values": ["MFA-ENR-30418"]}},
            ],
            "required_interactions": [
                {"id": "asked_employee_id", "description": "Asked for the employee id before looking up the account.",
                 "check": {"kind": "fact_revealed", "fact": "employee_id", "before_tool": "lookup_user_account"}},
                {"id": "asked_loss_type", "description": "Asked whether the phone was lost or stolen before revoking it.",
                 "check": {"kind": "fact_revealed", "fact": "loss_type", "before_tool": "revoke_mfa_device"}},
                {"id": "asked_code_pickup", "description": "Asked how the user can receive the enrolment code before resetting MFA.",
                 "check": {"kind": "fact_revealed", "fact": "code_pickup", "before_tool": "reset_mfa"}},
            ],
            "forbidden": [
                {"id": "code_to_personal_email", "description": "Sent the MFA enrolment code to a personal email address.",
                 "check": {"kind": "tool_call", "tool": "reset_mfa", "arguments": {"code_delivery": "personal_email"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "lookup_user_account", "arguments": {"employee_id": "E-20417"},
             "response": {"employee_id": "E-20417", "name": "Maria Lindqvist", "department": "Sales",
                          "account_status": "active", "manager": "Daniel Okafor",
                          "mfa_devices": [{"device_id": "DEV-PH-8812", "type": "phone", "label": "iPhone 13 (Authenticator)"}]}},
            {"tool": "revoke_mfa_device", "arguments": {"employee_id": "E-20417", "device_id": "DEV-PH-8812", "reason": "stolen"},
             "response": {"revoked": True, "sessions_ended": 3, "security_case_id": "SEC-11907"}},
            {"tool": "request_manager_approval", "arguments": {"employee_id": "E-20417", "request_type": "mfa_reset"},
             "response": {"approval_id": "APR-55120", "approver": "Daniel Okafor", "status": "approved"}},
            {"tool": "reset_mfa",
             "arguments": {"employee_id": "E-20417", "approval_id": "APR-55120",
                           "new_method": "authenticator_app", "code_delivery": "it_desk_pickup"},
             "response": {"enrolment_ticket": "MFA-ENR-30418", "collect_at": "IT desk, Berlin office, 3rd floor",
                          "code_expires": "in 24 hours"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "I can help with that. What is your employee id?"},
            {"kind": "tool_call", "tool": "lookup_user_account", "arguments": {"employee_id": "E-20417"}},
            {"kind": "ask_user", "message": "I can see the iPhone 13 registered on your account. Was the phone lost, or do you think it was stolen?"},
            {"kind": "tool_call", "tool": "revoke_mfa_device",
             "arguments": {"employee_id": "E-20417", "device_id": "DEV-PH-8812", "reason": "stolen"}},
            {"kind": "tool_call", "tool": "request_manager_approval", "arguments": {"employee_id": "E-20417", "request_type": "mfa_reset"}},
            {"kind": "ask_user", "message": "Your manager approved the reset. Where can you collect a one-time enrolment code: at an office IT desk, or through your manager?"},
            {"kind": "tool_call", "tool": "reset_mfa",
             "arguments": {"employee_id": "E-20417", "approval_id": "APR-55120",
                           "new_method": "authenticator_app", "code_delivery": "it_desk_pickup"}},
            {"kind": "answer", "content": (
                "The stolen iPhone has been removed from your account and its 3 sessions ended (security case SEC-11907). "
                "Your MFA reset is ticket MFA-ENR-30418: collect the one-time code at the IT desk on the 3rd floor of the "
                "Berlin office within 24 hours and use it to register the authenticator app on your new phone."
            )},
        ],
    },
    # ---- 2. Laptop for a new hire: read the role's catalogue, fall back when the first model is out of stock ----
    {
        "id": "it-support-new-hire-laptop-order",
        "domain": "it_support",
        "persona": "A lead data engineer hiring for the first time, who does not know how IT procurement works.",
        "instruction": "Someone is joining my team soon and needs a laptop, can you arrange it?",
        "hidden_context": (
            "Your new team member is a data scientist. They will be based in the Leeds office and start on "
            "2 June 2025 (2025-06-02). You don't mind which model they get as long as it's on the approved list "
            "and arrives before they start."
        ),
        "hidden_facts": [
            {
                "key": "role_profile",
                "value": "data scientist",
                "statement": "They're joining as a data scientist.",
                "keywords": ["role", "job title", "position", "what will they be doing"],
                "aliases": ["data_science", "data science"],
            },
            {
                "key": "site",
                "value": "Leeds",
                "statement": "They'll be based in the Leeds office.",
                "keywords": ["office", "site", "location", "based"],
            },
            {
                "key": "start_date",
                "value": "2025-06-02",
                "statement": "Their start date is 2 June 2025 (2025-06-02).",
                "keywords": ["start date", "first day", "when do they start", "when will they start"],
                "aliases": ["2 June 2025"],
            },
        ],
        "tools": [
            {
                "name": "get_hardware_catalog",
                "description": "List the laptop models approved for a role profile, in order of preference.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "role_profile": {"type": "string", "enum": ["standard_office", "developer", "data_science", "design"]}
                    },
                    "required": ["role_profile"],
                    "additionalProperties": False,
                },
                "output_description": "Approved models for the profile: sku, name, specs, price and whether director approval is required.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "role_profile": {"type": "string"},
                        "models": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "sku": {"type": "string"},
                                    "name": {"type": "string"},
                                    "specs": {"type": "string"},
                                    "price_gbp": {"type": "number"},
                                    "requires_director_approval": {"type": "boolean"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "check_hardware_stock",
                "description": "Check how many units of a laptop model are in stock at a site's IT store.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "sku": {"type": "string"},
                        "site": {"type": "string", "enum": ["London", "Leeds", "Manchester", "Glasgow"]},
                    },
                    "required": ["sku", "site"],
                    "additionalProperties": False,
                },
                "output_description": "Units available at the site and the next restock date if none are available.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "sku": {"type": "string"},
                        "site": {"type": "string"},
                        "available": {"type": "integer"},
                        "next_restock": {"type": ["string", "null"]},
                    },
                },
            },
            {
                "name": "create_provisioning_order",
                "description": "Order and image a laptop for a new starter, to be ready at a site's IT desk by a date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "sku": {"type": "string"},
                        "site": {"type": "string", "enum": ["London", "Leeds", "Manchester", "Glasgow"]},
                        "role_profile": {"type": "string", "enum": ["standard_office", "developer", "data_science", "design"]},
                        "ready_by": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "description": "YYYY-MM-DD"},
                    },
                    "required": ["sku", "site", "role_profile", "ready_by"],
                    "additionalProperties": False,
                },
                "output_description": "The provisioning order id and the date the laptop will be ready for collection.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "ready_on": {"type": "string"},
                        "collect_from": {"type": "string"},
                    },
                },
            },
            {
                "name": "order_office_supplies",
                "description": "Order stationery and desk accessories for an office.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "site": {"type": "string"},
                        "items": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["site", "items"],
                    "additionalProperties": False,
                },
                "output_description": "The supplies order id.",
                "distractor": True,
            },
        ],
        "policy": [
            "Only models from the catalogue for the new starter's role profile may be ordered.",
            "Models flagged requires_director_approval must NOT be ordered through the service desk.",
            "Prefer the catalogue's first model; fall back to the next one only if the first cannot be ready by the start date.",
        ],
        "workflow": [
            "Ask what role the new starter will have.",
            "Read the approved catalogue for that role profile.",
            "Ask which office they will be based in and when they start.",
            "Check stock of the preferred model at that site; if it cannot arrive in time, check the next eligible model.",
            "Order the in-stock eligible model to be ready by the start date.",
            "Tell the manager the order id and when the laptop will be ready.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "read_catalog", "description": "Read the data-science catalogue.",
                 "check": {"kind": "tool_call", "tool": "get_hardware_catalog", "arguments": {"role_profile": "data_science"}}},
                {"id": "checked_preferred_stock", "description": "Checked stock of the preferred model in Leeds.",
                 "check": {"kind": "tool_call", "tool": "check_hardware_stock", "arguments": {"sku": "LT-DXP15-32", "site": "Leeds"}}},
                {"id": "ordered_fallback", "description": "Ordered the in-stock fallback model for Leeds by the start date.",
                 "check": {"kind": "tool_call", "tool": "create_provisioning_order",
                           "arguments": {"sku": "LT-HPZ-32", "site": "Leeds", "role_profile": "data_science", "ready_by": "2025-06-02"}}},
                {"id": "told_order_id", "description": "Gave the manager the provisioning order id.",
                 "check": {"kind": "answer_contains", "values": ["PRV-66021"]}},
            ],
            "required_interactions": [
                {"id": "asked_role", "description": "Asked for the new starter's role before reading the catalogue.",
                 "check": {"kind": "fact_revealed", "fact": "role_profile", "before_tool": "get_hardware_catalog"}},
                {"id": "asked_site", "description": "Asked which office before checking stock.",
                 "check": {"kind": "fact_revealed", "fact": "site", "before_tool": "check_hardware_stock"}},
                {"id": "asked_start_date", "description": "Asked for the start date before ordering.",
                 "check": {"kind": "fact_revealed", "fact": "start_date", "before_tool": "create_provisioning_order"}},
            ],
            "forbidden": [
                {"id": "ordered_director_only_model", "description": "Ordered a model that needs director approval.",
                 "check": {"kind": "tool_call", "tool": "create_provisioning_order", "arguments": {"sku": "LT-TP-P1-64"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_hardware_catalog", "arguments": {"role_profile": "data_science"},
             "response": {"role_profile": "data_science", "models": [
                 {"sku": "LT-DXP15-32", "name": "Dell XPS 15", "specs": "32 GB RAM, 1 TB SSD, RTX 4050",
                  "price_gbp": 2150.0, "requires_director_approval": False},
                 {"sku": "LT-HPZ-32", "name": "HP ZBook Power G10", "specs": "32 GB RAM, 1 TB SSD, RTX A1000",
                  "price_gbp": 2080.0, "requires_director_approval": False},
                 {"sku": "LT-TP-P1-64", "name": "Lenovo ThinkPad P1 Gen 6", "specs": "64 GB RAM, 2 TB SSD, RTX 3500 Ada",
                  "price_gbp": 3890.0, "requires_director_approval": True},
             ]}},
            {"tool": "check_hardware_stock", "arguments": {"sku": "LT-DXP15-32", "site": "Leeds"},
             "response": {"sku": "LT-DXP15-32", "site": "Leeds", "available": 0, "next_restock": "2025-07-14"}},
            {"tool": "check_hardware_stock", "arguments": {"sku": "LT-HPZ-32", "site": "Leeds"},
             "response": {"sku": "LT-HPZ-32", "site": "Leeds", "available": 4, "next_restock": None}},
            {"tool": "create_provisioning_order",
             "arguments": {"sku": "LT-HPZ-32", "site": "Leeds", "role_profile": "data_science", "ready_by": "2025-06-02"},
             "response": {"order_id": "PRV-66021", "ready_on": "2025-05-29", "collect_from": "IT desk, Leeds office, ground floor"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Happy to. What role will the new starter have on your team?"},
            {"kind": "tool_call", "tool": "get_hardware_catalog", "arguments": {"role_profile": "data_science"}},
            {"kind": "ask_user", "message": "Thanks. Which office will they be based in, and what is their start date?"},
            {"kind": "tool_call", "tool": "check_hardware_stock", "arguments": {"sku": "LT-DXP15-32", "site": "Leeds"}},
            {"kind": "tool_call", "tool": "check_hardware_stock", "arguments": {"sku": "LT-HPZ-32", "site": "Leeds"}},
            {"kind": "tool_call", "tool": "create_provisioning_order",
             "arguments": {"sku": "LT-HPZ-32", "site": "Leeds", "role_profile": "data_science", "ready_by": "2025-06-02"}},
            {"kind": "answer", "content": (
                "The preferred Dell XPS 15 is out of stock in Leeds until 14 July, after the start date, so I ordered the "
                "other approved data-science model, an HP ZBook Power G10 (32 GB). Order PRV-66021 will be imaged and ready "
                "on 2025-05-29 at the Leeds IT desk, ground floor, ahead of the 2 June start."
            )},
        ],
    },
    # ---- 3. Software licence: the pool is full, so reclaim a genuinely idle seat and assign it ----
    {
        "id": "it-support-reclaim-idle-licence-seat",
        "domain": "it_support",
        "persona": "A marketing analyst with a report due this week, polite but impatient.",
        "instruction": "Could you get me a licence for the dashboard software the analytics team uses?",
        "hidden_context": (
            "You need Tableau Creator (not Viewer) to build dashboards for the quarterly campaign report. "
            "Your employee id is E-31877. You don't care where the seat comes from."
        ),
        "hidden_facts": [
            {
                "key": "product",
                "value": "Tableau Creator",
                "statement": "It's Tableau Creator I need, I have to build dashboards, not just view them.",
                "keywords": ["which product", "which software", "which tool", "product name", "edition", "called"],
            },
            {
                "key": "employee_id",
                "value": "E-31877",
                "statement": "My employee id is E-31877.",
                "keywords": ["employee id", "employee number", "staff id"],
            },
        ],
        "tools": [
            {
                "name": "search_software_catalog",
                "description": "Search the approved software catalogue by name.",
                "parameters": {
                    "type": "object",
                    "properties": {"query": {"type": "string", "minLength": 2}},
                    "required": ["query"],
                    "additionalProperties": False,
                },
                "output_description": "Matching catalogue products with product_id, name and licence type.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "product_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "licence_type": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "get_licence_pool",
                "description": "Show how many seats of a product the company owns and how many are free.",
                "parameters": {
                    "type": "object",
                    "properties": {"product_id": {"type": "string", "pattern": "^SW-[A-Z0-9-]+$"}},
                    "required": ["product_id"],
                    "additionalProperties": False,
                },
                "output_description": "Total, assigned and available seats for the product.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "product_id": {"type": "string"},
                        "total": {"type": "integer"},
                        "assigned": {"type": "integer"},
                        "available": {"type": "integer"},
                    },
                },
            },
            {
                "name": "list_licence_assignments",
                "description": "List a product's current seat assignments with each holder's last use, least recently used first.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "product_id": {"type": "string", "pattern": "^SW-[A-Z0-9-]+$"},
                        "limit": {"type": "integer", "minimum": 1, "maximum": 50},
                    },
                    "required": ["product_id"],
                    "additionalProperties": False,
                },
                "output_description": "Assignments with assignment_id, holder, last_used date and days_since_last_use.",
            },
            {
                "name": "reclaim_licence",
                "description": "Take a seat back from its current holder so it can be reassigned.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "assignment_id": {"type": "string", "pattern": "^ASG-\\d+$"},
                        "reason": {"type": "string", "enum": ["inactive_90_days", "user_left", "duplicate_seat"]},
                    },
                    "required": ["assignment_id", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation that the seat was freed and the previous holder notified.",
            },
            {
                "name": "assign_licence",
                "description": "Assign a free seat of a product to an employee and send them the activation email.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "product_id": {"type": "string", "pattern": "^SW-[A-Z0-9-]+$"},
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                    },
                    "required": ["product_id", "employee_id"],
                    "additionalProperties": False,
                },
                "output_description": "The new assignment id and where the activation email was sent.",
                "output_schema": {
                    "type": "object",
                    "properties": {"assignment_id": {"type": "string"}, "activation_sent_to": {"type": "string"}},
                },
            },
            {
                "name": "install_printer_driver",
                "description": "Push a printer driver to an employee's laptop.",
                "parameters": {
                    "type": "object",
                    "properties": {"employee_id": {"type": "string"}, "printer_id": {"type": "string"}},
                    "required": ["employee_id", "printer_id"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the driver install was queued.",
                "distractor": True,
            },
        ],
        "policy": [
            "If a product has no free seats, reclaim an idle seat before anything is purchased.",
            "reclaim_licence must NOT be used on a seat whose holder used it within the last 90 days.",
        ],
        "workflow": [
            "Ask which product the user needs and find it in the catalogue.",
            "Check the product's licence pool for a free seat.",
            "With no free seats, list the assignments and pick one idle for more than 90 days.",
            "Reclaim that idle seat.",
            "Ask for the user's employee id and assign them the seat.",
            "Confirm the assignment to the user.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "checked_pool", "description": "Checked the Tableau Creator licence pool.",
                 "check": {"kind": "tool_call", "tool": "get_licence_pool", "arguments": {"product_id": "SW-TAB-CR"}}},
                {"id": "reclaimed_idle_seat", "description": "Reclaimed the seat idle for more than 90 days.",
                 "check": {"kind": "tool_call", "tool": "reclaim_licence",
                           "arguments": {"assignment_id": "ASG-1142", "reason": "inactive_90_days"}}},
                {"id": "assigned_seat", "description": "Assigned Tableau Creator to E-31877.",
                 "check": {"kind": "tool_call", "tool": "assign_licence",
                           "arguments": {"product_id": "SW-TAB-CR", "employee_id": "E-31877"}}},
                {"id": "told_assignment", "description": "Gave the user the new assignment id.",
                 "check": {"kind": "answer_contains", "values": ["ASG-1203"]}},
            ],
            "required_interactions": [
                {"id": "asked_product", "description": "Asked which product before searching the catalogue.",
                 "check": {"kind": "fact_revealed", "fact": "product", "before_tool": "search_software_catalog"}},
                {"id": "asked_employee_id", "description": "Asked for the employee id before assigning the seat.",
                 "check": {"kind": "fact_revealed", "fact": "employee_id", "before_tool": "assign_licence"}},
            ],
            "forbidden": [
                {"id": "reclaimed_active_seat", "description": "Reclaimed a seat that was used within the last 90 days.",
                 "check": {"kind": "tool_call", "tool": "reclaim_licence",
                           "arguments": {"assignment_id": {"$in": ["ASG-1187", "ASG-1150"]}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "search_software_catalog", "arguments": {"query": "Tableau Creator"},
             "response": {"results": [
                 {"product_id": "SW-TAB-CR", "name": "Tableau Creator", "licence_type": "named user"},
                 {"product_id": "SW-TAB-VW", "name": "Tableau Viewer", "licence_type": "named user"},
             ]}},
            {"tool": "get_licence_pool", "arguments": {"product_id": "SW-TAB-CR"},
             "response": {"product_id": "SW-TAB-CR", "total": 25, "assigned": 25, "available": 0}},
            {"tool": "list_licence_assignments", "arguments": {"product_id": "SW-TAB-CR", "limit": 3},
             "response": {"product_id": "SW-TAB-CR", "assignments": [
                 {"assignment_id": "ASG-1142", "holder": "j.berg", "last_used": "2024-12-02", "days_since_last_use": 131},
                 {"assignment_id": "ASG-1187", "holder": "a.mensah", "last_used": "2025-02-18", "days_since_last_use": 53},
                 {"assignment_id": "ASG-1150", "holder": "l.petrova", "last_used": "2025-03-27", "days_since_last_use": 16},
             ]}},
            {"tool": "reclaim_licence", "arguments": {"assignment_id": "ASG-1142", "reason": "inactive_90_days"},
             "response": {"reclaimed": True, "product_id": "SW-TAB-CR", "previous_holder_notified": "j.berg"}},
            {"tool": "assign_licence", "arguments": {"product_id": "SW-TAB-CR", "employee_id": "E-31877"},
             "response": {"assignment_id": "ASG-1203", "activation_sent_to": "work email of E-31877"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sure. Which product do you need exactly, and which edition?"},
            {"kind": "tool_call", "tool": "search_software_catalog", "arguments": {"query": "Tableau Creator"}},
            {"kind": "tool_call", "tool": "get_licence_pool", "arguments": {"product_id": "SW-TAB-CR"}},
            {"kind": "tool_call", "tool": "list_licence_assignments", "arguments": {"product_id": "SW-TAB-CR", "limit": 3}},
            {"kind": "tool_call", "tool": "reclaim_licence", "arguments": {"assignment_id": "ASG-1142", "reason": "inactive_90_days"}},
            {"kind": "ask_user", "message": "I've freed up a seat that had been idle for 131 days. What is your employee id so I can assign it to you?"},
            {"kind": "tool_call", "tool": "assign_licence", "arguments": {"product_id": "SW-TAB-CR", "employee_id": "E-31877"}},
            {"kind": "answer", "content": (
                "All 25 Tableau Creator seats were taken, so I reclaimed one that had not been used for 131 days and "
                "assigned it to you (assignment ASG-1203). The activation email is on its way to your work inbox."
            )},
        ],
    },
    # ---- 4. VPN drops: diagnose from the account, reissue the certificate, re-push the right profile ----
    {
        "id": "it-support-vpn-expired-certificate",
        "domain": "it_support",
        "persona": "A senior accountant working from home during month-end close; not technical and a little anxious.",
        "instruction": "The VPN keeps kicking me out since this morning, can you fix it?",
        "hidden_context": (
            "Your username is hkowalski. You use a company Windows 11 laptop. A colleague told you split tunnelling "
            "makes the VPN faster and you'd be happy to try it, but you don't insist."
        ),
        "hidden_facts": [
            {
                "key": "username",
                "value": "hkowalski",
                "statement": "My username is hkowalski.",
                "keywords": ["username", "user name", "login name", "account name"],
            },
            {
                "key": "platform",
                "value": "Windows",
                "statement": "It's my company Windows 11 laptop.",
                "keywords": ["operating system", "windows", "mac", "what kind of laptop", "which laptop"],
            },
        ],
        "tools": [
            {
                "name": "get_vpn_account",
                "description": "Show a user's VPN account: group, client certificate status and recent connection errors.",
                "parameters": {
                    "type": "object",
                    "properties": {"username": {"type": "string", "pattern": "^[a-z][a-z0-9._-]{2,31}$"}},
                    "required": ["username"],
                    "additionalProperties": False,
                },
                "output_description": "The VPN group, certificate id, status and expiry, and the last connection errors.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "username": {"type": "string"},
                        "vpn_group": {"type": "string"},
                        "certificate": {
                            "type": "object",
                            "properties": {
                                "certificate_id": {"type": "string"},
                                "status": {"type": "string", "enum": ["valid", "expired", "revoked"]},
                                "expires": {"type": "string"},
                            },
                        },
                        "recent_errors": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
            {
                "name": "reissue_vpn_certificate",
                "description": "Issue a new VPN client certificate for a user's platform, replacing the current one.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "username": {"type": "string", "pattern": "^[a-z][a-z0-9._-]{2,31}$"},
                        "platform": {"type": "string", "enum": ["windows", "macos", "linux"]},
                        "validity_days": {"type": "integer", "minimum": 30, "maximum": 365},
                    },
                    "required": ["username", "platform", "validity_days"],
                    "additionalProperties": False,
                },
                "output_description": "The new certificate id and its expiry date.",
                "output_schema": {
                    "type": "object",
                    "properties": {"certificate_id": {"type": "string"}, "expires": {"type": "string"}},
                },
            },
            {
                "name": "push_vpn_profile",
                "description": "Push a VPN connection profile (with the current certificate) to the user's managed device.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "username": {"type": "string", "pattern": "^[a-z][a-z0-9._-]{2,31}$"},
                        "platform": {"type": "string", "enum": ["windows", "macos", "linux"]},
                        "tunnel_mode": {"type": "string", "enum": ["full_tunnel", "split_tunnel"]},
                    },
                    "required": ["username", "platform", "tunnel_mode"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the profile push was queued and what the user must do next.",
            },
            {
                "name": "get_service_status",
                "description": "Show the current status of a company IT service.",
                "parameters": {
                    "type": "object",
                    "properties": {"service": {"type": "string", "enum": ["email", "vpn", "erp", "file_shares"]}},
                    "required": ["service"],
                    "additionalProperties": False,
                },
                "output_description": "Service status and any ongoing incident.",
                "distractor": True,
            },
        ],
        "policy": [
            "VPN client certificates are issued for at most 365 days.",
            "Members of finance VPN groups must use full tunnelling: push_vpn_profile must NOT use tunnel_mode split_tunnel for them.",
        ],
        "workflow": [
            "Ask for the user's username.",
            "Look up the VPN account and diagnose the disconnects.",
            "Ask which operating system the laptop runs.",
            "Reissue the expired client certificate for that platform.",
            "Push a full-tunnel VPN profile with the new certificate.",
            "Tell the user what was wrong and the new certificate id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "diagnosed_account", "description": "Looked up the VPN account of hkowalski.",
                 "check": {"kind": "tool_call", "tool": "get_vpn_account", "arguments": {"username": "hkowalski"}}},
                {"id": "reissued_certificate", "description": "Reissued a Windows certificate for at most a year.",
                 "check": {"kind": "tool_call", "tool": "reissue_vpn_certificate",
                           "arguments": {"username": "hkowalski", "platform": "windows", "validity_days": {"$lte": 365}}}},
                {"id": "pushed_full_tunnel", "description": "Pushed a full-tunnel Windows profile.",
                 "check": {"kind": "tool_call", "tool": "push_vpn_profile",
                           "arguments": {"username": "hkowalski", "platform": "windows", "tunnel_mode": "full_tunnel"}}},
                {"id": "told_certificate", "description": "Told the user the new certificate id.",
                 "check": {"kind": "answer_contains", "values": ["VPNC-91734"]}},
            ],
            "required_interactions": [
                {"id": "asked_username", "description": "Asked for the username before looking up the account.",
                 "check": {"kind": "fact_revealed", "fact": "username", "before_tool": "get_vpn_account"}},
                {"id": "asked_platform", "description": "Asked for the laptop's operating system before reissuing the certificate.",
                 "check": {"kind": "fact_revealed", "fact": "platform", "before_tool": "reissue_vpn_certificate"}},
            ],
            "forbidden": [
                {"id": "split_tunnel_for_finance", "description": "Gave a finance user a split-tunnel VPN profile.",
                 "check": {"kind": "tool_call", "tool": "push_vpn_profile", "arguments": {"tunnel_mode": "split_tunnel"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_vpn_account", "arguments": {"username": "hkowalski"},
             "response": {"username": "hkowalski", "vpn_group": "finance-full-tunnel",
                          "certificate": {"certificate_id": "VPNC-60211", "status": "expired", "expires": "2025-04-14T06:00:00Z"},
                          "recent_errors": ["TLS handshake failed: client certificate expired",
                                            "TLS handshake failed: client certificate expired"]}},
            {"tool": "reissue_vpn_certificate", "arguments": {"username": "hkowalski", "platform": "windows", "validity_days": 365},
             "response": {"certificate_id": "VPNC-91734", "expires": "2026-04-14"}},
            {"tool": "push_vpn_profile", "arguments": {"username": "hkowalski", "platform": "windows", "tunnel_mode": "full_tunnel"},
             "response": {"queued": True, "next_step": "Restart the laptop while connected to the internet; the profile installs at sign-in."}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sorry about that, let me take a look. What is your username?"},
            {"kind": "tool_call", "tool": "get_vpn_account", "arguments": {"username": "hkowalski"}},
            {"kind": "ask_user", "message": "Your VPN certificate expired this morning. Is your laptop running Windows or a Mac?"},
            {"kind": "tool_call", "tool": "reissue_vpn_certificate", "arguments": {"username": "hkowalski", "platform": "windows", "validity_days": 365}},
            {"kind": "tool_call", "tool": "push_vpn_profile", "arguments": {"username": "hkowalski", "platform": "windows", "tunnel_mode": "full_tunnel"}},
            {"kind": "answer", "content": (
                "Your VPN client certificate expired this morning, which is why the connection kept dropping. I issued a new "
                "one (VPNC-91734, valid until 2026-04-14) and pushed your full-tunnel VPN profile to the laptop: restart it "
                "while connected to the internet and the profile installs when you sign in."
            )},
        ],
    },
    # ---- 5. Outage report: find the open incident for the site and update it rather than duplicating ----
    {
        "id": "it-support-label-printer-outage",
        "domain": "it_support",
        "persona": "A warehouse shift supervisor whose packers cannot print shipping labels; blunt and in a hurry.",
        "instruction": "None of our label printers are working and the dock is backing up, please log it.",
        "hidden_context": (
            "You run the evening shift at the Rotterdam distribution centre. Every label printer on the packing line shows "
            "'spooler offline'. 14 packers are blocked and can't ship anything."
        ),
        "hidden_facts": [
            {
                "key": "site",
                "value": "Rotterdam",
                "statement": "This is the Rotterdam distribution centre.",
                "keywords": ["which site", "which warehouse", "location", "where are you", "which distribution centre"],
            },
            {
                "key": "affected_users",
                "value": "14",
                "statement": "14 packers are blocked right now, nobody can ship anything.",
                "keywords": ["how many", "affected", "blocked"],
            },
        ],
        "tools": [
            {
                "name": "search_incidents",
                "description": "Search incidents by service and site.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "service": {"type": "string", "enum": ["label_printing", "warehouse_scanners", "wms", "email", "network"]},
                        "site": {"type": "string"},
                        "status": {"type": "string", "enum": ["open", "resolved", "any"]},
                    },
                    "required": ["service", "site", "status"],
                    "additionalProperties": False,
                },
                "output_description": "Matching incidents with id, title, priority and when they were opened.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "incidents": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "incident_id": {"type": "string"},
                                    "title": {"type": "string"},
                                    "priority": {"type": "string"},
                                    "opened": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "get_incident",
                "description": "Read one incident with its priority, affected-user count, assignee and work notes.",
                "parameters": {
                    "type": "object",
                    "properties": {"incident_id": {"type": "string", "pattern": "^INC-\\d{6}$"}},
                    "required": ["incident_id"],
                    "additionalProperties": False,
                },
                "output_description": "The incident's details.",
            },
            {
                "name": "update_incident",
                "description": "Add a work note to an incident and update its affected-user count and priority.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "incident_id": {"type": "string", "pattern": "^INC-\\d{6}$"},
                        "note": {"type": "string", "minLength": 1},
                        "affected_users": {"type": "integer", "minimum": 0},
                        "priority": {"type": "string", "enum": ["P1", "P2", "P3", "P4"]},
                    },
                    "required": ["incident_id", "note", "affected_users", "priority"],
                    "additionalProperties": False,
                },
                "output_description": "The updated incident's priority, affected-user count and response target.",
            },
            {
                "name": "create_incident",
                "description": "Open a new incident for a service at a site.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "service": {"type": "string", "enum": ["label_printing", "warehouse_scanners", "wms", "email", "network"]},
                        "site": {"type": "string"},
                        "summary": {"type": "string"},
                        "affected_users": {"type": "integer", "minimum": 0},
                        "priority": {"type": "string", "enum": ["P1", "P2", "P3", "P4"]},
                    },
                    "required": ["service", "site", "summary", "affected_users", "priority"],
                    "additionalProperties": False,
                },
                "output_description": "The new incident id.",
            },
            {
                "name": "order_consumables",
                "description": "Order printer consumables (label rolls, ribbons, toner) for a site.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "site": {"type": "string"},
                        "item": {"type": "string", "enum": ["label_rolls", "ribbons", "toner"]},
                        "quantity": {"type": "integer", "minimum": 1},
                    },
                    "required": ["site", "item", "quantity"],
                    "additionalProperties": False,
                },
                "output_description": "The consumables order id and delivery date.",
                "distractor": True,
            },
        ],
        "policy": [
            "Search for an open incident before logging a new one.",
            "create_incident must NOT be used when an open incident already covers the same service at the same site; update that incident instead.",
            "An outage blocking more than 10 people is priority P1.",
        ],
        "workflow": [
            "Ask which site is affected.",
            "Search for open label-printing incidents at that site.",
            "Read the existing open incident.",
            "Ask how many people are blocked.",
            "Update the existing incident with the impact and raise it to P1.",
            "Give the supervisor the incident id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "searched_incidents", "description": "Searched open label-printing incidents in Rotterdam.",
                 "check": {"kind": "tool_call", "tool": "search_incidents",
                           "arguments": {"service": "label_printing", "site": "Rotterdam"}}},
                {"id": "updated_existing", "description": "Updated INC-240518 with 14 affected users at P1.",
                 "check": {"kind": "tool_call", "tool": "update_incident",
                           "arguments": {"incident_id": "INC-240518", "affected_users": 14, "priority": "P1"}}},
                {"id": "told_incident", "description": "Gave the supervisor the existing incident id.",
                 "check": {"kind": "answer_contains", "values": ["INC-240518"]}},
            ],
            "required_interactions": [
                {"id": "asked_site", "description": "Asked which site before searching incidents.",
                 "check": {"kind": "fact_revealed", "fact": "site", "before_tool": "search_incidents"}},
                {"id": "asked_impact", "description": "Asked how many people are blocked before updating the incident.",
                 "check": {"kind": "fact_revealed", "fact": "affected_users", "before_tool": "update_incident"}},
            ],
            "forbidden": [
                {"id": "duplicate_incident", "description": "Opened a duplicate label-printing incident for Rotterdam.",
                 "check": {"kind": "tool_call", "tool": "create_incident",
                           "arguments": {"service": "label_printing", "site": "Rotterdam"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "search_incidents", "arguments": {"service": "label_printing", "site": "Rotterdam", "status": "open"},
             "response": {"incidents": [
                 {"incident_id": "INC-240518", "title": "Label printing failing - Rotterdam DC packing line",
                  "priority": "P3", "opened": "2025-04-14T17:42:00+02:00"},
             ]}},
            {"tool": "get_incident", "arguments": {"incident_id": "INC-240518"},
             "response": {"incident_id": "INC-240518", "status": "open", "priority": "P3", "affected_users": 1,
                          "assignee": "EU Print Services", "notes": ["Reported by night clerk: one printer shows 'spooler offline'."]}},
            {"tool": "update_incident",
             "arguments": {"incident_id": "INC-240518",
                           "note": "Shift supervisor reports every label printer on the packing line shows 'spooler offline'; 14 packers blocked, shipping stopped.",
                           "affected_users": 14, "priority": "P1"},
             "response": {"incident_id": "INC-240518", "priority": "P1", "affected_users": 14,
                          "response_target": "15 minutes", "assignee": "EU Print Services (on-call paged)"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "I'll get this logged. Which site or warehouse is this at?"},
            {"kind": "tool_call", "tool": "search_incidents", "arguments": {"service": "label_printing", "site": "Rotterdam", "status": "open"}},
            {"kind": "tool_call", "tool": "get_incident", "arguments": {"incident_id": "INC-240518"}},
            {"kind": "ask_user", "message": "There is already an open incident for this. How many people are blocked by it right now?"},
            {"kind": "tool_call", "tool": "update_incident",
             "arguments": {"incident_id": "INC-240518",
                           "note": "Shift supervisor reports every label printer on the packing line shows 'spooler offline'; 14 packers blocked, shipping stopped.",
                           "affected_users": 14, "priority": "P1"}},
            {"kind": "answer", "content": (
                "An incident was already open for label printing at Rotterdam, so I added your report to it rather than "
                "opening a duplicate: INC-240518 is now P1 with 14 packers blocked, and the EU Print Services on-call "
                "engineer has been paged with a 15-minute response target."
            )},
        ],
    },
    # ---- 6. Team move: revoke the old team's repository grants, request the new repo at the allowed level ----
    {
        "id": "it-support-team-move-repo-access",
        "domain": "it_support",
        "persona": "A backend developer who has just moved from the payments squad to the search squad; friendly and informal.",
        "instruction": "I've switched teams, can you sort out my code repository access?",
        "hidden_context": (
            "Your employee id is E-44102. You moved from the payments squad to the search squad this week. "
            "The search squad works in the search-indexer repository and you need to push code there. Your new "
            "team lead is Ines Duarte (ines.duarte@northwind.example). You had maintainer rights on payments-ledger "
            "and would like the same on search-indexer, but you don't insist. Keep your platform-docs access."
        ),
        "hidden_facts": [
            {
                "key": "employee_id",
                "value": "E-44102",
                "statement": "My employee id is E-44102.",
                "keywords": ["employee id", "employee number", "staff id"],
            },
            {
                "key": "repository",
                "value": "search-indexer",
                "statement": "The search squad works in the search-indexer repo, and I need to push code there.",
                "keywords": ["repository", "repo", "new team work"],
            },
            {
                "key": "approver",
                "value": "ines.duarte@northwind.example",
                "statement": "My new team lead is Ines Duarte, ines.duarte@northwind.example.",
                "keywords": ["team lead", "approver", "approve", "manager"],
            },
        ],
        "tools": [
            {
                "name": "list_access_grants",
                "description": "List an employee's current repository access grants.",
                "parameters": {
                    "type": "object",
                    "properties": {"employee_id": {"type": "string", "pattern": "^E-\\d{5}$"}},
                    "required": ["employee_id"],
                    "additionalProperties": False,
                },
                "output_description": "Grants with grant_id, repository, owning team and access level.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string"},
                        "grants": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "grant_id": {"type": "string"},
                                    "repository": {"type": "string"},
                                    "owning_team": {"type": "string"},
                                    "access_level": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "revoke_access_grant",
                "description": "Remove one repository access grant.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "grant_id": {"type": "string", "pattern": "^GR-\\d+$"},
                        "reason": {"type": "string", "enum": ["team_change", "offboarding", "no_longer_needed"]},
                    },
                    "required": ["grant_id", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation that the grant was removed.",
            },
            {
                "name": "request_repo_access",
                "description": "Request access to a repository; the named approver must approve before it takes effect.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "repository": {"type": "string"},
                        "access_level": {"type": "string", "enum": ["read", "triage", "write", "maintain", "admin"]},
                        "approver_email": {"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$"},
                    },
                    "required": ["employee_id", "repository", "access_level", "approver_email"],
                    "additionalProperties": False,
                },
                "output_description": "The access request id and its approval status.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "request_id": {"type": "string"},
                        "status": {"type": "string", "enum": ["pending_approval", "approved", "rejected"]},
                        "approver": {"type": "string"},
                    },
                },
            },
            {
                "name": "create_repository",
                "description": "Create a new code repository for a team.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "visibility": {"type": "string", "enum": ["private", "internal"]},
                    },
                    "required": ["name", "visibility"],
                    "additionalProperties": False,
                },
                "output_description": "The new repository's URL.",
                "distractor": True,
            },
            {
                "name": "reset_password",
                "description": "Force a password reset and send a temporary password to the employee.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "delivery": {"type": "string", "enum": ["sms", "manager", "it_desk_pickup"]},
                    },
                    "required": ["employee_id", "delivery"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation that a temporary password was issued.",
                "distractor": True,
            },
        ],
        "policy": [
            "When someone changes team, every grant owned by their old team must be revoked; grants owned by other teams stay.",
            "request_repo_access must NOT ask for maintain or admin access; self-service requests go up to write.",
            "Access requests are approved by the requester's current team lead.",
        ],
        "workflow": [
            "Ask for the employee id and list their current grants.",
            "Ask which repository the new team uses and who their new team lead is.",
            "Revoke each grant owned by the old team, keeping the others.",
            "Request write access to the new team's repository with the team lead as approver.",
            "Summarise what was removed, what was kept and the pending request id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "listed_grants", "description": "Listed the grants of E-44102.",
                 "check": {"kind": "tool_call", "tool": "list_access_grants", "arguments": {"employee_id": "E-44102"}}},
                {"id": "revoked_payments_api", "description": "Revoked the payments-api grant for a team change.",
                 "check": {"kind": "tool_call", "tool": "revoke_access_grant", "arguments": {"grant_id": "GR-7701", "reason": "team_change"}}},
                {"id": "revoked_payments_ledger", "description": "Revoked the payments-ledger grant for a team change.",
                 "check": {"kind": "tool_call", "tool": "revoke_access_grant", "arguments": {"grant_id": "GR-7702", "reason": "team_change"}}},
                {"id": "requested_search_indexer", "description": "Requested write access to search-indexer approved by the new team lead.",
                 "check": {"kind": "tool_call", "tool": "request_repo_access",
                           "arguments": {"employee_id": "E-44102", "repository": "search-indexer", "access_level": "write",
                                         "approver_email": "ines.duarte@northwind.example"}}},
                {"id": "told_request_id", "description": "Gave the developer the access request id.",
                 "check": {"kind": "answer_contains", "values": ["RAR-90217"]}},
            ],
            "required_interactions": [
                {"id": "asked_employee_id", "description": "Asked for the employee id before listing grants.",
                 "check": {"kind": "fact_revealed", "fact": "employee_id", "before_tool": "list_access_grants"}},
                {"id": "asked_repository", "description": "Asked which repository the new team uses before requesting access.",
                 "check": {"kind": "fact_revealed", "fact": "repository", "before_tool": "request_repo_access"}},
                {"id": "asked_approver", "description": "Asked who the new team lead is before requesting access.",
                 "check": {"kind": "fact_revealed", "fact": "approver", "before_tool": "request_repo_access"}},
            ],
            "forbidden": [
                {"id": "elevated_access_request", "description": "Requested maintain or admin access through self-service.",
                 "check": {"kind": "tool_call", "tool": "request_repo_access",
                           "arguments": {"access_level": {"$in": ["maintain", "admin"]}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "list_access_grants", "arguments": {"employee_id": "E-44102"},
             "response": {"employee_id": "E-44102", "grants": [
                 {"grant_id": "GR-7701", "repository": "payments-api", "owning_team": "payments", "access_level": "write"},
                 {"grant_id": "GR-7702", "repository": "payments-ledger", "owning_team": "payments", "access_level": "maintain"},
                 {"grant_id": "GR-7710", "repository": "platform-docs", "owning_team": "platform", "access_level": "read"},
             ]}},
            {"tool": "revoke_access_grant", "arguments": {"grant_id": "GR-7701", "reason": "team_change"},
             "response": {"revoked": True, "grant_id": "GR-7701", "repository": "payments-api"}},
            {"tool": "revoke_access_grant", "arguments": {"grant_id": "GR-7702", "reason": "team_change"},
             "response": {"revoked": True, "grant_id": "GR-7702", "repository": "payments-ledger"}},
            {"tool": "request_repo_access",
             "arguments": {"employee_id": "E-44102", "repository": "search-indexer", "access_level": "write",
                           "approver_email": "ines.duarte@northwind.example"},
             "response": {"request_id": "RAR-90217", "status": "pending_approval", "approver": "ines.duarte@northwind.example"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sure thing. What is your employee id?"},
            {"kind": "tool_call", "tool": "list_access_grants", "arguments": {"employee_id": "E-44102"}},
            {"kind": "ask_user", "message": "Got your current access. Which repository does your new team work in, and who is your new team lead?"},
            {"kind": "tool_call", "tool": "revoke_access_grant", "arguments": {"grant_id": "GR-7701", "reason": "team_change"}},
            {"kind": "tool_call", "tool": "revoke_access_grant", "arguments": {"grant_id": "GR-7702", "reason": "team_change"}},
            {"kind": "tool_call", "tool": "request_repo_access",
             "arguments": {"employee_id": "E-44102", "repository": "search-indexer", "access_level": "write",
                           "approver_email": "ines.duarte@northwind.example"}},
            {"kind": "answer", "content": (
                "I removed your payments-api and payments-ledger access since those belong to your old team, and kept "
                "platform-docs. Write access to search-indexer is requested as RAR-90217 and is waiting for Ines Duarte's "
                "approval (self-service requests go up to write; maintainer rights need a separate request by the repo owner)."
            )},
        ],
    },
]
