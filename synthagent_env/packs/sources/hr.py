"""HR and recruiting domain tasks for the bundled pack (hand-written; see ``synthagent_env/packs/build.py``)."""

TASKS = [
    # ---- 1. Return early from leave: shorten the approved request instead of cancelling it ----
    {
        "id": "hr-shorten-approved-leave",
        "domain": "hr",
        "persona": "A warehouse operations planner whose family trip was cut short and who wants the unused days back.",
        "instruction": "I'm coming back from holiday earlier than planned, can you update my leave so I don't lose the days?",
        "hidden_context": (
            "Today is 12 August 2025. Your employee id is E-58230. Your approved annual leave runs 11-22 August, "
            "but the trip was cut short; your last day off will be Wednesday 13 August (2025-08-13) and you'll be "
            "back at work on the 14th."
        ),
        "hidden_facts": [
            {
                "key": "employee_id",
                "value": "E-58230",
                "statement": "My employee id is E-58230.",
                "keywords": ["employee id", "employee number", "staff id", "payroll number"],
            },
            {
                "key": "new_end_date",
                "value": "13 August",
                "statement": "My last day off will be Wednesday 13 August (2025-08-13); I'm back at work on the 14th.",
                "keywords": ["last day", "back at work", "return to work", "coming back", "new end"],
                "aliases": ["2025-08-13"],
            },
        ],
        "tools": [
            {
                "name": "list_leave_requests",
                "description": "List an employee's leave requests, optionally filtered by status.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "status": {"type": "string", "enum": ["pending", "approved", "rejected", "all"]},
                    },
                    "required": ["employee_id", "status"],
                    "additionalProperties": False,
                },
                "output_description": "Leave requests with request_id, leave type, start and end dates, working days and status.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "requests": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "request_id": {"type": "string"},
                                    "leave_type": {"type": "string"},
                                    "start_date": {"type": "string"},
                                    "end_date": {"type": "string"},
                                    "working_days": {"type": "number"},
                                    "status": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "modify_leave_request",
                "description": "Change the dates of an existing leave request; unused days go back to the balance.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "request_id": {"type": "string", "pattern": "^LV-\\d+$"},
                        "start_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "end_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                    },
                    "required": ["request_id", "start_date", "end_date"],
                    "additionalProperties": False,
                },
                "output_description": "The updated request with its new working-day count and the days returned to the balance.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "request_id": {"type": "string"},
                        "start_date": {"type": "string"},
                        "end_date": {"type": "string"},
                        "working_days": {"type": "number"},
                        "days_returned": {"type": "number"},
                    },
                },
            },
            {
                "name": "cancel_leave_request",
                "description": "Cancel a leave request entirely.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "request_id": {"type": "string", "pattern": "^LV-\\d+$"},
                        "reason": {"type": "string"},
                    },
                    "required": ["request_id", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation of the cancellation.",
            },
            {
                "name": "get_leave_balance",
                "description": "Show an employee's remaining balance for one leave type this year.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "leave_type": {"type": "string", "enum": ["annual", "sick", "parental", "unpaid"]},
                    },
                    "required": ["employee_id", "leave_type"],
                    "additionalProperties": False,
                },
                "output_description": "Days entitled, taken, booked and remaining.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "leave_type": {"type": "string"},
                        "entitled": {"type": "number"},
                        "taken_or_booked": {"type": "number"},
                        "remaining": {"type": "number"},
                    },
                },
            },
            {
                "name": "update_emergency_contact",
                "description": "Change an employee's emergency contact.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "name": {"type": "string"},
                        "phone": {"type": "string"},
                    },
                    "required": ["employee_id", "name", "phone"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation of the change.",
                "distractor": True,
            },
        ],
        "policy": [
            "Leave that has already started must NOT be cancelled with cancel_leave_request; shorten it with modify_leave_request so the days already taken stay recorded.",
            "The start date of leave that has already started cannot change.",
        ],
        "workflow": [
            "Ask for the employee id and find the approved leave request.",
            "Ask what the employee's new last day of leave is.",
            "Shorten the request to end on that day, keeping its start date.",
            "Check the updated annual leave balance.",
            "Tell the employee how many days came back and their new balance.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "found_leave", "description": "Listed the approved leave of E-58230.",
                 "check": {"kind": "tool_call", "tool": "list_leave_requests", "arguments": {"employee_id": "E-58230"}}},
                {"id": "shortened_leave", "description": "Shortened LV-9931 to end on 2025-08-13, keeping its start.",
                 "check": {"kind": "tool_call", "tool": "modify_leave_request",
                           "arguments": {"request_id": "LV-9931", "start_date": "2025-08-11", "end_date": "2025-08-13"}}},
                {"id": "checked_balance", "description": "Checked the updated annual leave balance.",
                 "check": {"kind": "tool_call", "tool": "get_leave_balance", "arguments": {"employee_id": "E-58230", "leave_type": "annual"}}},
                {"id": "told_balance", "description": "Told the employee the days returned and the new balance.",
                 "check": {"kind": "answer_contains", "values": ["17.5"]}},
            ],
            "required_interactions": [
                {"id": "asked_employee_id", "description": "Asked for the employee id before looking up leave.",
                 "check": {"kind": "fact_revealed", "fact": "employee_id", "before_tool": "list_leave_requests"}},
                {"id": "asked_new_end", "description": "Asked for the new last day of leave before changing it.",
                 "check": {"kind": "fact_revealed", "fact": "new_end_date", "before_tool": "modify_leave_request"}},
            ],
            "forbidden": [
                {"id": "cancelled_started_leave", "description": "Cancelled leave that had already started.",
                 "check": {"kind": "tool_call", "tool": "cancel_leave_request", "arguments": {"request_id": "LV-9931"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "list_leave_requests", "arguments": {"employee_id": "E-58230", "status": "approved"},
             "response": {"requests": [
                 {"request_id": "LV-9931", "leave_type": "annual", "start_date": "2025-08-11", "end_date": "2025-08-22",
                  "working_days": 10, "status": "approved"},
                 {"request_id": "LV-9874", "leave_type": "annual", "start_date": "2025-12-29", "end_date": "2025-12-31",
                  "working_days": 3, "status": "approved"},
             ]}},
            {"tool": "modify_leave_request", "arguments": {"request_id": "LV-9931", "start_date": "2025-08-11", "end_date": "2025-08-13"},
             "response": {"request_id": "LV-9931", "start_date": "2025-08-11", "end_date": "2025-08-13",
                          "working_days": 3, "days_returned": 7}},
            {"tool": "get_leave_balance", "arguments": {"employee_id": "E-58230", "leave_type": "annual"},
             "response": {"leave_type": "annual", "entitled": 28, "taken_or_booked": 10.5, "remaining": 17.5}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Welcome back early! What is your employee id?"},
            {"kind": "tool_call", "tool": "list_leave_requests", "arguments": {"employee_id": "E-58230", "status": "approved"}},
            {"kind": "ask_user", "message": "I can see your annual leave from 11 to 22 August. What will your last day of leave be now?"},
            {"kind": "tool_call", "tool": "modify_leave_request",
             "arguments": {"request_id": "LV-9931", "start_date": "2025-08-11", "end_date": "2025-08-13"}},
            {"kind": "tool_call", "tool": "get_leave_balance", "arguments": {"employee_id": "E-58230", "leave_type": "annual"}},
            {"kind": "answer", "content": (
                "Done: leave LV-9931 now runs 11-13 August (3 working days), so 7 days went back to your balance. "
                "You now have 17.5 days of annual leave remaining this year."
            )},
        ],
    },
    # ---- 2. Panel interview: read the candidate, drop the referrer from the panel, book a common slot ----
    {
        "id": "hr-final-round-panel-interview",
        "domain": "hr",
        "persona": "A technical recruiter juggling a dozen open roles who wants things booked, not discussed.",
        "instruction": "Can you book the final-round panel interview for my backend engineer candidate?",
        "hidden_context": (
            "The candidate is Amara Nwosu, candidate id CAND-5521. You want the panel on 14 May 2025 (2025-05-14) and "
            "it should be a video interview because she lives in Lisbon. Use the requisition's hiring panel."
        ),
        "hidden_facts": [
            {
                "key": "candidate_id",
                "value": "CAND-5521",
                "statement": "It's Amara Nwosu, candidate id CAND-5521.",
                "keywords": ["candidate id", "candidate number", "application id", "which candidate"],
            },
            {
                "key": "interview_date",
                "value": "14 May",
                "statement": "Let's do it on 14 May (2025-05-14).",
                "keywords": ["which day", "what date", "which date", "when should"],
                "aliases": ["2025-05-14"],
            },
            {
                "key": "interview_format",
                "value": "video",
                "statement": "Make it a video interview, she's based in Lisbon.",
                "keywords": ["onsite", "on-site", "in person", "video", "format"],
            },
        ],
        "tools": [
            {
                "name": "get_candidate",
                "description": "Read a candidate's profile: requisition, stage, hiring panel and referral source.",
                "parameters": {
                    "type": "object",
                    "properties": {"candidate_id": {"type": "string", "pattern": "^CAND-\\d{4}$"}},
                    "required": ["candidate_id"],
                    "additionalProperties": False,
                },
                "output_description": "The candidate's name, requisition, stage, hiring panel emails and who referred them.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "candidate_id": {"type": "string"},
                        "name": {"type": "string"},
                        "requisition": {"type": "string"},
                        "stage": {"type": "string"},
                        "hiring_panel": {"type": "array", "items": {"type": "string"}},
                        "referred_by": {"type": ["string", "null"]},
                    },
                },
            },
            {
                "name": "find_panel_availability",
                "description": "Find time slots on a date when all listed interviewers are free for the given duration.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "interviewer_emails": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        "date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "duration_minutes": {"type": "integer", "enum": [30, 45, 60, 90]},
                    },
                    "required": ["interviewer_emails", "date", "duration_minutes"],
                    "additionalProperties": False,
                },
                "output_description": "Common free slots (start times, local time) on that date.",
                "output_schema": {
                    "type": "object",
                    "properties": {"date": {"type": "string"}, "slots": {"type": "array", "items": {"type": "string"}}},
                },
            },
            {
                "name": "book_interview",
                "description": "Book an interview with a panel and put it in everyone's calendar.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "candidate_id": {"type": "string", "pattern": "^CAND-\\d{4}$"},
                        "interviewer_emails": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        "start": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$", "description": "YYYY-MM-DDTHH:MM local time"},
                        "duration_minutes": {"type": "integer", "enum": [30, 45, 60, 90]},
                        "format": {"type": "string", "enum": ["onsite", "video"]},
                    },
                    "required": ["candidate_id", "interviewer_emails", "start", "duration_minutes", "format"],
                    "additionalProperties": False,
                },
                "output_description": "The interview id and, for video interviews, the meeting link.",
                "output_schema": {
                    "type": "object",
                    "properties": {"interview_id": {"type": "string"}, "meeting_link": {"type": ["string", "null"]}},
                },
            },
            {
                "name": "send_candidate_invitation",
                "description": "Email the candidate the invitation for a booked interview.",
                "parameters": {
                    "type": "object",
                    "properties": {"interview_id": {"type": "string", "pattern": "^INT-\\d+$"}},
                    "required": ["interview_id"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the invitation was sent and to which address.",
            },
            {
                "name": "reject_candidate",
                "description": "Move a candidate to rejected and send the rejection email.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "candidate_id": {"type": "string", "pattern": "^CAND-\\d{4}$"},
                        "reason": {"type": "string"},
                    },
                    "required": ["candidate_id", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation of the rejection.",
                "distractor": True,
            },
            {
                "name": "post_job_opening",
                "description": "Publish a job opening on the careers site.",
                "parameters": {
                    "type": "object",
                    "properties": {"title": {"type": "string"}, "department": {"type": "string"}},
                    "required": ["title", "department"],
                    "additionalProperties": False,
                },
                "output_description": "The posting's URL.",
                "distractor": True,
            },
        ],
        "policy": [
            "Final-round panel interviews last 90 minutes and use the requisition's hiring panel.",
            "An employee who referred a candidate must NOT sit on that candidate's interview panel.",
            "Book the earliest slot that works for the whole panel.",
        ],
        "workflow": [
            "Ask which candidate and read their profile.",
            "Ask for the interview date and whether it is onsite or video.",
            "Build the panel from the hiring panel, leaving out the candidate's referrer.",
            "Find the panel's common free slots on that date.",
            "Book the earliest slot and send the candidate the invitation.",
            "Give the recruiter the interview id and time.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "read_candidate", "description": "Read candidate CAND-5521.",
                 "check": {"kind": "tool_call", "tool": "get_candidate", "arguments": {"candidate_id": "CAND-5521"}}},
                {"id": "booked_interview", "description": "Booked a 90-minute video panel at the earliest slot on 14 May.",
                 "check": {"kind": "tool_call", "tool": "book_interview",
                           "arguments": {"candidate_id": "CAND-5521", "start": "2025-05-14T10:30",
                                         "duration_minutes": 90, "format": "video",
                                         "interviewer_emails": {"$contains": "lena.fischer@northwind.example"}}}},
                {"id": "invited_candidate", "description": "Sent the candidate the invitation.",
                 "check": {"kind": "tool_call", "tool": "send_candidate_invitation", "arguments": {"interview_id": "INT-7705"}}},
                {"id": "told_interview", "description": "Gave the recruiter the interview id.",
                 "check": {"kind": "answer_contains", "values": ["INT-7705", "10:30"]}},
            ],
            "required_interactions": [
                {"id": "asked_candidate", "description": "Asked which candidate before reading the profile.",
                 "check": {"kind": "fact_revealed", "fact": "candidate_id", "before_tool": "get_candidate"}},
                {"id": "asked_date", "description": "Asked for the date before checking availability.",
                 "check": {"kind": "fact_revealed", "fact": "interview_date", "before_tool": "find_panel_availability"}},
                {"id": "asked_format", "description": "Asked onsite or video before booking.",
                 "check": {"kind": "fact_revealed", "fact": "interview_format", "before_tool": "book_interview"}},
            ],
            "forbidden": [
                {"id": "referrer_on_panel", "description": "Put the candidate's referrer on the interview panel.",
                 "check": {"kind": "tool_call", "tool": "book_interview",
                           "arguments": {"interviewer_emails": {"$contains": "raj.patel@northwind.example"}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_candidate", "arguments": {"candidate_id": "CAND-5521"},
             "response": {"candidate_id": "CAND-5521", "name": "Amara Nwosu", "requisition": "REQ-ENG-204 Senior Backend Engineer",
                          "stage": "final_round",
                          "hiring_panel": ["lena.fischer@northwind.example", "sam.ortiz@northwind.example",
                                           "raj.patel@northwind.example", "chen.wei@northwind.example"],
                          "referred_by": "raj.patel@northwind.example"}},
            {"tool": "find_panel_availability",
             "arguments": {"interviewer_emails": ["lena.fischer@northwind.example", "sam.ortiz@northwind.example",
                                                  "chen.wei@northwind.example"],
                           "date": "2025-05-14", "duration_minutes": 90},
             "response": {"date": "2025-05-14", "slots": ["10:30", "15:00"]}},
            {"tool": "book_interview",
             "arguments": {"candidate_id": "CAND-5521",
                           "interviewer_emails": ["lena.fischer@northwind.example", "sam.ortiz@northwind.example",
                                                  "chen.wei@northwind.example"],
                           "start": "2025-05-14T10:30", "duration_minutes": 90, "format": "video"},
             "response": {"interview_id": "INT-7705", "meeting_link": "https://meet.northwind.example/int-7705"}},
            {"tool": "send_candidate_invitation", "arguments": {"interview_id": "INT-7705"},
             "response": {"sent": True, "to": "amara.nwosu@mailbox.example"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sure. What is the candidate id?"},
            {"kind": "tool_call", "tool": "get_candidate", "arguments": {"candidate_id": "CAND-5521"}},
            {"kind": "ask_user", "message": "Thanks. Which date should the panel be on, and should it be onsite or video?"},
            {"kind": "tool_call", "tool": "find_panel_availability",
             "arguments": {"interviewer_emails": ["lena.fischer@northwind.example", "sam.ortiz@northwind.example",
                                                  "chen.wei@northwind.example"],
                           "date": "2025-05-14", "duration_minutes": 90}},
            {"kind": "tool_call", "tool": "book_interview",
             "arguments": {"candidate_id": "CAND-5521",
                           "interviewer_emails": ["lena.fischer@northwind.example", "sam.ortiz@northwind.example",
                                                  "chen.wei@northwind.example"],
                           "start": "2025-05-14T10:30", "duration_minutes": 90, "format": "video"}},
            {"kind": "tool_call", "tool": "send_candidate_invitation", "arguments": {"interview_id": "INT-7705"}},
            {"kind": "answer", "content": (
                "Booked: Amara Nwosu's final-round video panel is INT-7705 on 14 May 2025 at 10:30 for 90 minutes with "
                "Lena Fischer, Sam Ortiz and Chen Wei (link https://meet.northwind.example/int-7705), and her invitation "
                "has been sent. Raj Patel is left off the panel because he referred her."
            )},
        ],
    },
    # ---- 3. New starter: create the record, then checklist, then an orientation on or after the start date ----
    {
        "id": "hr-new-starter-record-and-orientation",
        "domain": "hr",
        "persona": "An HR coordinator at a mid-sized logistics company, methodical and detail-oriented.",
        "instruction": "We've got a new starter joining the finance team, can you get her set up in the HR system before she arrives?",
        "hidden_context": (
            "The new starter is Sofia Marchetti. She joins Finance on 1 September 2025 (2025-09-01) on a 12-month "
            "fixed-term contract covering a parental leave."
        ),
        "hidden_facts": [
            {
                "key": "full_name",
                "value": "Sofia Marchetti",
                "statement": "Her name is Sofia Marchetti.",
                "keywords": ["full name", "her name", "what is she called", "who is"],
            },
            {
                "key": "start_date",
                "value": "2025-09-01",
                "statement": "She starts on 1 September 2025 (2025-09-01).",
                "keywords": ["start date", "first day", "when does she start", "starting"],
                "aliases": ["1 September 2025"],
            },
            {
                "key": "contract_type",
                "value": "fixed-term",
                "statement": "It's a 12-month fixed-term contract, covering a parental leave.",
                "keywords": ["contract", "permanent", "fixed-term", "employment type"],
                "aliases": ["fixed term", "fixed_term"],
            },
        ],
        "tools": [
            {
                "name": "create_employee_record",
                "description": "Create the HR record for a new employee and allocate their employee id.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "full_name": {"type": "string", "minLength": 3},
                        "department": {"type": "string", "enum": ["finance", "operations", "sales", "engineering", "hr"]},
                        "start_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "contract_type": {"type": "string", "enum": ["permanent", "fixed_term", "contractor"]},
                    },
                    "required": ["full_name", "department", "start_date", "contract_type"],
                    "additionalProperties": False,
                },
                "output_description": "The new employee id and the record's status.",
                "output_schema": {
                    "type": "object",
                    "properties": {"employee_id": {"type": "string"}, "status": {"type": "string"}},
                },
            },
            {
                "name": "create_onboarding_checklist",
                "description": "Create the onboarding checklist for a new employee from a department template.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "template": {"type": "string", "enum": ["standard", "finance", "operations", "engineering"]},
                    },
                    "required": ["employee_id", "template"],
                    "additionalProperties": False,
                },
                "output_description": "The checklist id and its number of tasks.",
            },
            {
                "name": "list_orientation_sessions",
                "description": "List upcoming orientation sessions for a track, soonest first.",
                "parameters": {
                    "type": "object",
                    "properties": {"track": {"type": "string", "enum": ["general", "finance", "operations", "engineering"]}},
                    "required": ["track"],
                    "additionalProperties": False,
                },
                "output_description": "Sessions with session_id, date, location and seats left.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "sessions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "session_id": {"type": "string"},
                                    "date": {"type": "string"},
                                    "location": {"type": "string"},
                                    "seats_left": {"type": "integer"},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "enrol_in_orientation",
                "description": "Reserve a seat for an employee in an orientation session.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "session_id": {"type": "string", "pattern": "^ORI-[A-Z]-\\d{4}$"},
                    },
                    "required": ["employee_id", "session_id"],
                    "additionalProperties": False,
                },
                "output_description": "The enrolment confirmation.",
            },
            {
                "name": "approve_timesheet",
                "description": "Approve a submitted timesheet.",
                "parameters": {
                    "type": "object",
                    "properties": {"timesheet_id": {"type": "string"}},
                    "required": ["timesheet_id"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation of the approval.",
                "distractor": True,
            },
        ],
        "policy": [
            "New starters get the onboarding checklist template of their department.",
            "enrol_in_orientation must NOT book a session dated before the employee's start date: they are not employed yet.",
            "Book the earliest orientation session on or after the start date that has seats left.",
        ],
        "workflow": [
            "Ask for the new starter's full name, start date and contract type.",
            "Create the employee record in Finance.",
            "Create the finance onboarding checklist for the new employee id.",
            "List the finance orientation sessions.",
            "Enrol her in the earliest session on or after her start date.",
            "Report the employee id, checklist and orientation date.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "created_record", "description": "Created Sofia Marchetti's fixed-term Finance record starting 2025-09-01.",
                 "check": {"kind": "tool_call", "tool": "create_employee_record",
                           "arguments": {"full_name": "Sofia Marchetti", "department": "finance",
                                         "start_date": "2025-09-01", "contract_type": "fixed_term"}}},
                {"id": "created_checklist", "description": "Created the finance onboarding checklist for E-61044.",
                 "check": {"kind": "tool_call", "tool": "create_onboarding_checklist",
                           "arguments": {"employee_id": "E-61044", "template": "finance"}}},
                {"id": "enrolled_orientation", "description": "Enrolled her in the first finance orientation after her start.",
                 "check": {"kind": "tool_call", "tool": "enrol_in_orientation",
                           "arguments": {"employee_id": "E-61044", "session_id": "ORI-F-0904"}}},
                {"id": "told_employee_id", "description": "Reported the new employee id.",
                 "check": {"kind": "answer_contains", "values": ["E-61044"]}},
            ],
            "required_interactions": [
                {"id": "asked_name", "description": "Asked for the new starter's name before creating the record.",
                 "check": {"kind": "fact_revealed", "fact": "full_name", "before_tool": "create_employee_record"}},
                {"id": "asked_start_date", "description": "Asked for the start date before creating the record.",
                 "check": {"kind": "fact_revealed", "fact": "start_date", "before_tool": "create_employee_record"}},
                {"id": "asked_contract", "description": "Asked for the contract type before creating the record.",
                 "check": {"kind": "fact_revealed", "fact": "contract_type", "before_tool": "create_employee_record"}},
            ],
            "forbidden": [
                {"id": "orientation_before_start", "description": "Booked an orientation session before the start date.",
                 "check": {"kind": "tool_call", "tool": "enrol_in_orientation", "arguments": {"session_id": "ORI-F-0827"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "create_employee_record",
             "arguments": {"full_name": "Sofia Marchetti", "department": "finance", "start_date": "2025-09-01",
                           "contract_type": "fixed_term"},
             "response": {"employee_id": "E-61044", "status": "pre_hire"}},
            {"tool": "create_onboarding_checklist", "arguments": {"employee_id": "E-61044", "template": "finance"},
             "response": {"checklist_id": "CHK-22931", "tasks": 14}},
            {"tool": "list_orientation_sessions", "arguments": {"track": "finance"},
             "response": {"sessions": [
                 {"session_id": "ORI-F-0827", "date": "2025-08-27", "location": "Utrecht HQ, room 2.14", "seats_left": 6},
                 {"session_id": "ORI-F-0904", "date": "2025-09-04", "location": "Utrecht HQ, room 2.14", "seats_left": 3},
                 {"session_id": "ORI-F-0918", "date": "2025-09-18", "location": "Online", "seats_left": 12},
             ]}},
            {"tool": "enrol_in_orientation", "arguments": {"employee_id": "E-61044", "session_id": "ORI-F-0904"},
             "response": {"enrolled": True, "session_id": "ORI-F-0904", "date": "2025-09-04"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Of course. What is her full name, her start date, and is the contract permanent or fixed-term?"},
            {"kind": "tool_call", "tool": "create_employee_record",
             "arguments": {"full_name": "Sofia Marchetti", "department": "finance", "start_date": "2025-09-01",
                           "contract_type": "fixed_term"}},
            {"kind": "tool_call", "tool": "create_onboarding_checklist", "arguments": {"employee_id": "E-61044", "template": "finance"}},
            {"kind": "tool_call", "tool": "list_orientation_sessions", "arguments": {"track": "finance"}},
            {"kind": "tool_call", "tool": "enrol_in_orientation", "arguments": {"employee_id": "E-61044", "session_id": "ORI-F-0904"}},
            {"kind": "answer", "content": (
                "Sofia Marchetti is set up as employee E-61044 (Finance, fixed-term, starting 1 September 2025). Her finance "
                "onboarding checklist CHK-22931 has 14 tasks, and she is booked on the finance orientation on 4 September "
                "(ORI-F-0904, Utrecht HQ room 2.14); the 27 August session was before her start date."
            )},
        ],
    },
    # ---- 4. Payroll correction: reconcile payslip against timesheet, compute the shortfall, pick the payout ----
    {
        "id": "hr-missing-overtime-payroll-correction",
        "domain": "hr",
        "persona": "A hospital porter on rotating shifts, worried about making rent this month.",
        "instruction": "My last payslip is short, the extra shifts I worked weren't paid.",
        "hidden_context": (
            "Your employee id is E-70215. The short payslip is the March 2025 one. You worked extra weekend shifts "
            "that your supervisor approved. You would like the money as fast as possible."
        ),
        "hidden_facts": [
            {
                "key": "employee_id",
                "value": "E-70215",
                "statement": "My employee id is E-70215.",
                "keywords": ["employee id", "employee number", "staff id", "payroll number"],
            },
            {
                "key": "pay_period",
                "value": "March 2025",
                "statement": "It's the March 2025 payslip.",
                "keywords": ["which month", "pay period", "which payslip", "what month"],
                "aliases": ["2025-03"],
            },
        ],
        "tools": [
            {
                "name": "get_payslip",
                "description": "Read an employee's payslip for a pay period.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "period": {"type": "string", "pattern": "^\\d{4}-\\d{2}$", "description": "YYYY-MM"},
                    },
                    "required": ["employee_id", "period"],
                    "additionalProperties": False,
                },
                "output_description": "Hourly rate, hours paid by component and gross pay.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "period": {"type": "string"},
                        "hourly_rate_eur": {"type": "number"},
                        "regular_hours": {"type": "number"},
                        "overtime_hours": {"type": "number"},
                        "gross_eur": {"type": "number"},
                    },
                },
            },
            {
                "name": "get_timesheet",
                "description": "Read an employee's timesheet totals for a pay period, split by approval state.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "period": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"},
                    },
                    "required": ["employee_id", "period"],
                    "additionalProperties": False,
                },
                "output_description": "Approved and pending regular and overtime hours, and the overtime multiplier.",
            },
            {
                "name": "submit_payroll_correction",
                "description": "Submit a correction to a past payslip, paid either with the next regular run or as an off-cycle payment.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "period": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"},
                        "component": {"type": "string", "enum": ["overtime", "shift_allowance", "tax_code", "deduction"]},
                        "hours": {"type": "number", "minimum": 0},
                        "amount_eur": {"type": "number", "minimum": 0},
                        "payout": {"type": "string", "enum": ["next_cycle", "off_cycle"]},
                    },
                    "required": ["employee_id", "period", "component", "hours", "amount_eur", "payout"],
                    "additionalProperties": False,
                },
                "output_description": "The correction id and the date it will be paid.",
                "output_schema": {
                    "type": "object",
                    "properties": {"correction_id": {"type": "string"}, "pay_date": {"type": "string"}},
                },
            },
            {
                "name": "update_bank_details",
                "description": "Change the bank account an employee's salary is paid into.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "iban": {"type": "string"},
                    },
                    "required": ["employee_id", "iban"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation of the change.",
                "distractor": True,
            },
            {
                "name": "get_tax_documents",
                "description": "Fetch an employee's annual tax statements.",
                "parameters": {
                    "type": "object",
                    "properties": {"employee_id": {"type": "string"}, "year": {"type": "integer"}},
                    "required": ["employee_id", "year"],
                    "additionalProperties": False,
                },
                "output_description": "Links to the tax documents.",
                "distractor": True,
            },
        ],
        "policy": [
            "Only approved timesheet hours may be corrected; amount_eur = hours x hourly rate x overtime multiplier.",
            "submit_payroll_correction must NOT use payout off_cycle for a shortfall under 250 EUR; smaller corrections are paid with the next regular run.",
        ],
        "workflow": [
            "Ask for the employee id and which payslip is short.",
            "Read that payslip.",
            "Read the timesheet for the same period and find approved overtime that was not paid.",
            "Compute the shortfall and choose the payout allowed for that amount.",
            "Submit the overtime correction.",
            "Tell the employee the correction id, amount and pay date.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "read_payslip", "description": "Read the March 2025 payslip of E-70215.",
                 "check": {"kind": "tool_call", "tool": "get_payslip", "arguments": {"employee_id": "E-70215", "period": "2025-03"}}},
                {"id": "read_timesheet", "description": "Read the March 2025 timesheet of E-70215.",
                 "check": {"kind": "tool_call", "tool": "get_timesheet", "arguments": {"employee_id": "E-70215", "period": "2025-03"}}},
                {"id": "submitted_correction", "description": "Submitted a 9.5-hour, 228 EUR overtime correction for the next cycle.",
                 "check": {"kind": "tool_call", "tool": "submit_payroll_correction",
                           "arguments": {"employee_id": "E-70215", "period": "2025-03", "component": "overtime",
                                         "hours": 9.5, "amount_eur": 228, "payout": "next_cycle"}}},
                {"id": "told_correction", "description": "Gave the employee the correction id.",
                 "check": {"kind": "answer_contains", "values": ["PCR-40871"]}},
            ],
            "required_interactions": [
                {"id": "asked_employee_id", "description": "Asked for the employee id before reading the payslip.",
                 "check": {"kind": "fact_revealed", "fact": "employee_id", "before_tool": "get_payslip"}},
                {"id": "asked_period", "description": "Asked which payslip before reading it.",
                 "check": {"kind": "fact_revealed", "fact": "pay_period", "before_tool": "get_payslip"}},
            ],
            "forbidden": [
                {"id": "off_cycle_small_correction", "description": "Requested an off-cycle payment for a shortfall under 250 EUR.",
                 "check": {"kind": "tool_call", "tool": "submit_payroll_correction", "arguments": {"payout": "off_cycle"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_payslip", "arguments": {"employee_id": "E-70215", "period": "2025-03"},
             "response": {"period": "2025-03", "hourly_rate_eur": 16.0, "regular_hours": 152, "overtime_hours": 0,
                          "gross_eur": 2432.0}},
            {"tool": "get_timesheet", "arguments": {"employee_id": "E-70215", "period": "2025-03"},
             "response": {"period": "2025-03", "regular_hours_approved": 152, "overtime_hours_approved": 9.5,
                          "overtime_hours_pending": 0, "overtime_multiplier": 1.5}},
            {"tool": "submit_payroll_correction",
             "arguments": {"employee_id": "E-70215", "period": "2025-03", "component": "overtime",
                           "hours": 9.5, "amount_eur": 228.0, "payout": "next_cycle"},
             "response": {"correction_id": "PCR-40871", "pay_date": "2025-04-25"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Let's get that fixed. What is your employee id, and which month's pay period is short?"},
            {"kind": "tool_call", "tool": "get_payslip", "arguments": {"employee_id": "E-70215", "period": "2025-03"}},
            {"kind": "tool_call", "tool": "get_timesheet", "arguments": {"employee_id": "E-70215", "period": "2025-03"}},
            {"kind": "tool_call", "tool": "submit_payroll_correction",
             "arguments": {"employee_id": "E-70215", "period": "2025-03", "component": "overtime",
                           "hours": 9.5, "amount_eur": 228.0, "payout": "next_cycle"}},
            {"kind": "answer", "content": (
                "You're right: your March 2025 timesheet has 9.5 approved overtime hours that were not paid. At 16.00 EUR "
                "an hour with the 1.5x overtime rate that is 228.00 EUR. I submitted correction PCR-40871; because it is "
                "under 250 EUR it is paid with the next regular run on 2025-04-25."
            )},
        ],
    },
    # ---- 5. Benefits enrolment: check registered dependents, compare plans for the right tier, enrol ----
    {
        "id": "hr-health-plan-enrolment-compare",
        "domain": "hr",
        "persona": "A newly hired UX designer who moved countries and is choosing health insurance for the first time.",
        "instruction": "I need to pick a health plan for me and my family before my enrolment window closes.",
        "hidden_context": (
            "Your employee id is E-66310. Your family is you and your husband Tomás; no children. You see a "
            "specialist regularly, so the plan with the lowest deductible matters most to you, even if the premium "
            "is higher."
        ),
        "hidden_facts": [
            {
                "key": "employee_id",
                "value": "E-66310",
                "statement": "My employee id is E-66310.",
                "keywords": ["employee id", "employee number", "staff id"],
            },
            {
                "key": "priority",
                "value": "lowest deductible",
                "statement": "I see a specialist regularly, so the lowest deductible matters most, even if the premium is higher.",
                "keywords": ["deductible", "premium", "matters most", "priority", "prefer"],
            },
        ],
        "tools": [
            {
                "name": "get_benefits_profile",
                "description": "Read an employee's benefits profile: enrolment window, current elections and registered dependents.",
                "parameters": {
                    "type": "object",
                    "properties": {"employee_id": {"type": "string", "pattern": "^E-\\d{5}$"}},
                    "required": ["employee_id"],
                    "additionalProperties": False,
                },
                "output_description": "The enrolment window, current health election and registered dependents.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string"},
                        "enrolment_window_closes": {"type": "string"},
                        "current_health_plan": {"type": ["string", "null"]},
                        "dependents": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "dependent_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "relationship": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "list_health_plans",
                "description": "List the health plans offered for a coverage tier with their monthly premium and annual deductible.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "coverage_tier": {"type": "string", "enum": ["employee_only", "employee_plus_one", "family"]}
                    },
                    "required": ["coverage_tier"],
                    "additionalProperties": False,
                },
                "output_description": "Plans with plan_id, name, monthly employee premium and annual deductible.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "coverage_tier": {"type": "string"},
                        "plans": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "plan_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "monthly_premium_eur": {"type": "number"},
                                    "annual_deductible_eur": {"type": "number"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "enrol_health_plan",
                "description": "Elect a health plan and coverage tier for an employee and their registered dependents.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "plan_id": {"type": "string"},
                        "coverage_tier": {"type": "string", "enum": ["employee_only", "employee_plus_one", "family"]},
                        "dependent_ids": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["employee_id", "plan_id", "coverage_tier", "dependent_ids"],
                    "additionalProperties": False,
                },
                "output_description": "The enrolment confirmation id, coverage start date and monthly premium.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "confirmation_id": {"type": "string"},
                        "coverage_start": {"type": "string"},
                        "monthly_premium_eur": {"type": "number"},
                    },
                },
            },
            {
                "name": "add_dependent",
                "description": "Register a new dependent on an employee's benefits profile (requires documentation).",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "name": {"type": "string"},
                        "relationship": {"type": "string", "enum": ["spouse", "partner", "child"]},
                        "date_of_birth": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                    },
                    "required": ["employee_id", "name", "relationship", "date_of_birth"],
                    "additionalProperties": False,
                },
                "output_description": "The new dependent id, pending documentation.",
                "distractor": True,
            },
            {
                "name": "request_gym_reimbursement",
                "description": "Claim the yearly gym membership allowance.",
                "parameters": {
                    "type": "object",
                    "properties": {"employee_id": {"type": "string"}, "amount_eur": {"type": "number"}},
                    "required": ["employee_id", "amount_eur"],
                    "additionalProperties": False,
                },
                "output_description": "The reimbursement claim id.",
                "distractor": True,
            },
        ],
        "policy": [
            "The coverage tier must match the dependents registered on the benefits profile.",
            "enrol_health_plan must NOT use coverage_tier family unless at least two dependents are registered.",
            "Let the employee's stated priority decide between plans; do not choose on their behalf without asking.",
        ],
        "workflow": [
            "Ask for the employee id and read the benefits profile to see the registered dependents.",
            "Work out the coverage tier from the dependents.",
            "List the plans for that tier.",
            "Ask the employee what matters most to them (premium or deductible).",
            "Enrol them and their dependent in the plan that best fits that priority.",
            "Confirm the plan, premium and confirmation id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "read_profile", "description": "Read the benefits profile of E-66310.",
                 "check": {"kind": "tool_call", "tool": "get_benefits_profile", "arguments": {"employee_id": "E-66310"}}},
                {"id": "listed_right_tier", "description": "Listed the plans for employee plus one.",
                 "check": {"kind": "tool_call", "tool": "list_health_plans", "arguments": {"coverage_tier": "employee_plus_one"}}},
                {"id": "enrolled_lowest_deductible", "description": "Enrolled in the lowest-deductible plan for employee plus one.",
                 "check": {"kind": "tool_call", "tool": "enrol_health_plan",
                           "arguments": {"employee_id": "E-66310", "plan_id": "HP-PPO-GOLD", "coverage_tier": "employee_plus_one",
                                         "dependent_ids": {"$contains": "DEP-3391"}}}},
                {"id": "told_confirmation", "description": "Gave the employee the enrolment confirmation id.",
                 "check": {"kind": "answer_contains", "values": ["BEN-77412"]}},
            ],
            "required_interactions": [
                {"id": "asked_employee_id", "description": "Asked for the employee id before reading the profile.",
                 "check": {"kind": "fact_revealed", "fact": "employee_id", "before_tool": "get_benefits_profile"}},
                {"id": "asked_priority", "description": "Asked what matters most before enrolling.",
                 "check": {"kind": "fact_revealed", "fact": "priority", "before_tool": "enrol_health_plan"}},
            ],
            "forbidden": [
                {"id": "family_tier_one_dependent", "description": "Enrolled at family tier with only one registered dependent.",
                 "check": {"kind": "tool_call", "tool": "enrol_health_plan", "arguments": {"coverage_tier": "family"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_benefits_profile", "arguments": {"employee_id": "E-66310"},
             "response": {"employee_id": "E-66310", "enrolment_window_closes": "2025-06-30", "current_health_plan": None,
                          "dependents": [{"dependent_id": "DEP-3391", "name": "Tomás Rivera", "relationship": "spouse"}]}},
            {"tool": "list_health_plans", "arguments": {"coverage_tier": "employee_plus_one"},
             "response": {"coverage_tier": "employee_plus_one", "plans": [
                 {"plan_id": "HP-HMO-SILVER", "name": "HMO Silver", "monthly_premium_eur": 148.0, "annual_deductible_eur": 1500},
                 {"plan_id": "HP-PPO-GOLD", "name": "PPO Gold", "monthly_premium_eur": 236.0, "annual_deductible_eur": 500},
                 {"plan_id": "HP-HDHP-BRONZE", "name": "HDHP Bronze", "monthly_premium_eur": 92.0, "annual_deductible_eur": 3200},
             ]}},
            {"tool": "enrol_health_plan",
             "arguments": {"employee_id": "E-66310", "plan_id": "HP-PPO-GOLD", "coverage_tier": "employee_plus_one",
                           "dependent_ids": ["DEP-3391"]},
             "response": {"confirmation_id": "BEN-77412", "coverage_start": "2025-07-01", "monthly_premium_eur": 236.0}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Happy to help you choose. What is your employee id?"},
            {"kind": "tool_call", "tool": "get_benefits_profile", "arguments": {"employee_id": "E-66310"}},
            {"kind": "tool_call", "tool": "list_health_plans", "arguments": {"coverage_tier": "employee_plus_one"}},
            {"kind": "ask_user", "message": (
                "Your profile has one dependent (Tomás), so the tier is employee plus one. The options are HMO Silver "
                "(148 EUR a month, 1500 deductible), PPO Gold (236 EUR, 500 deductible) and HDHP Bronze (92 EUR, 3200 "
                "deductible). Which matters more to you: a low monthly premium or a low deductible?"
            )},
            {"kind": "tool_call", "tool": "enrol_health_plan",
             "arguments": {"employee_id": "E-66310", "plan_id": "HP-PPO-GOLD", "coverage_tier": "employee_plus_one",
                           "dependent_ids": ["DEP-3391"]}},
            {"kind": "answer", "content": (
                "You and Tomás are enrolled in PPO Gold (employee plus one), the plan with the lowest deductible (500 EUR a "
                "year) at 236 EUR a month. Confirmation BEN-77412; coverage starts on 1 July 2025."
            )},
        ],
    },
    # ---- 6. Expense claim: several receipts, apply the city cap, leave out the non-reimbursable one ----
    {
        "id": "hr-trade-fair-expense-claim",
        "domain": "hr",
        "persona": "A field sales engineer who hates admin and photographs every receipt into the expenses app.",
        "instruction": "Can you file my expenses from the trade fair last week?",
        "hidden_context": (
            "Your employee id is E-39027. The trip was to the Hannover Messe and should be charged to project PRJ-3310 "
            "(the Northern Europe launch). All your receipts are already uploaded to the expenses app, including a "
            "bar tab from a team evening that you'd be glad to get back if possible."
        ),
        "hidden_facts": [
            {
                "key": "employee_id",
                "value": "E-39027",
                "statement": "My employee id is E-39027.",
                "keywords": ["employee id", "employee number", "staff id"],
            },
            {
                "key": "project_code",
                "value": "PRJ-3310",
                "statement": "Charge it to project PRJ-3310, the Northern Europe launch.",
                "keywords": ["project code", "project", "cost centre", "cost center", "charge"],
            },
        ],
        "tools": [
            {
                "name": "list_unclaimed_receipts",
                "description": "List receipts an employee has uploaded that are not yet on any expense report.",
                "parameters": {
                    "type": "object",
                    "properties": {"employee_id": {"type": "string", "pattern": "^E-\\d{5}$"}},
                    "required": ["employee_id"],
                    "additionalProperties": False,
                },
                "output_description": "Receipts with receipt_id, merchant, city, date, amount and description.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "receipts": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "receipt_id": {"type": "string"},
                                    "merchant": {"type": "string"},
                                    "city": {"type": "string"},
                                    "date": {"type": "string"},
                                    "amount_eur": {"type": "number"},
                                    "description": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "get_expense_limits",
                "description": "Read the travel policy limits for a city.",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                    "additionalProperties": False,
                },
                "output_description": "The hotel cap per night, meal allowance per day and any excluded categories.",
            },
            {
                "name": "create_expense_report",
                "description": "Start a draft expense report charged to a project.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "project_code": {"type": "string", "pattern": "^PRJ-\\d{4}$"},
                        "purpose": {"type": "string", "enum": ["conference_or_trade_fair", "customer_visit", "training", "internal_meeting"]},
                    },
                    "required": ["employee_id", "project_code", "purpose"],
                    "additionalProperties": False,
                },
                "output_description": "The draft report id.",
                "output_schema": {"type": "object", "properties": {"report_id": {"type": "string"}, "status": {"type": "string"}}},
            },
            {
                "name": "add_expense_item",
                "description": "Add one receipt to a draft expense report with the amount to reimburse.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "report_id": {"type": "string", "pattern": "^EXR-\\d+$"},
                        "receipt_id": {"type": "string", "pattern": "^RCPT-\\d+$"},
                        "category": {"type": "string", "enum": ["hotel", "rail", "air", "meal", "taxi", "other"]},
                        "amount_eur": {"type": "number", "minimum": 0},
                    },
                    "required": ["report_id", "receipt_id", "category", "amount_eur"],
                    "additionalProperties": False,
                },
                "output_description": "The report's running total.",
            },
            {
                "name": "submit_expense_report",
                "description": "Submit a draft expense report for approval.",
                "parameters": {
                    "type": "object",
                    "properties": {"report_id": {"type": "string", "pattern": "^EXR-\\d+$"}},
                    "required": ["report_id"],
                    "additionalProperties": False,
                },
                "output_description": "The report's status, total and approver.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "report_id": {"type": "string"},
                        "status": {"type": "string"},
                        "total_eur": {"type": "number"},
                        "approver": {"type": "string"},
                    },
                },
            },
            {
                "name": "request_cash_advance",
                "description": "Request a cash advance for upcoming travel.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "employee_id": {"type": "string", "pattern": "^E-\\d{5}$"},
                        "amount_eur": {"type": "number", "minimum": 0},
                    },
                    "required": ["employee_id", "amount_eur"],
                    "additionalProperties": False,
                },
                "output_description": "The advance request id.",
                "distractor": True,
            },
        ],
        "policy": [
            "Hotel nights are reimbursed up to the city's nightly cap: claim the capped amount when the bill is higher.",
            "Alcoholic drinks are never reimbursable: add_expense_item must NOT include a receipt for alcohol.",
            "Every expense report is charged to a project code given by the employee.",
        ],
        "workflow": [
            "Ask for the employee id and list their unclaimed receipts.",
            "Read the expense limits for the trip's city.",
            "Ask which project code to charge and create the report.",
            "Add the hotel at the capped amount and the train fare; leave out the bar receipt.",
            "Submit the report.",
            "Tell the employee the report id, the total and what was left out or capped.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "listed_receipts", "description": "Listed the unclaimed receipts of E-39027.",
                 "check": {"kind": "tool_call", "tool": "list_unclaimed_receipts", "arguments": {"employee_id": "E-39027"}}},
                {"id": "created_report", "description": "Created a trade-fair report charged to PRJ-3310.",
                 "check": {"kind": "tool_call", "tool": "create_expense_report",
                           "arguments": {"employee_id": "E-39027", "project_code": "PRJ-3310"}}},
                {"id": "added_capped_hotel", "description": "Added the hotel at the Hannover cap of 2 x 180 EUR.",
                 "check": {"kind": "tool_call", "tool": "add_expense_item",
                           "arguments": {"report_id": "EXR-2207", "receipt_id": "RCPT-881", "category": "hotel", "amount_eur": 360}}},
                {"id": "added_train", "description": "Added the train fare in full.",
                 "check": {"kind": "tool_call", "tool": "add_expense_item",
                           "arguments": {"report_id": "EXR-2207", "receipt_id": "RCPT-882", "category": "rail", "amount_eur": 96.4}}},
                {"id": "submitted_report", "description": "Submitted the report.",
                 "check": {"kind": "tool_call", "tool": "submit_expense_report", "arguments": {"report_id": "EXR-2207"}}},
                {"id": "told_report", "description": "Gave the employee the report id and total.",
                 "check": {"kind": "answer_contains", "values": ["EXR-2207", "456.4"]}},
            ],
            "required_interactions": [
                {"id": "asked_employee_id", "description": "Asked for the employee id before listing receipts.",
                 "check": {"kind": "fact_revealed", "fact": "employee_id", "before_tool": "list_unclaimed_receipts"}},
                {"id": "asked_project", "description": "Asked for the project code before creating the report.",
                 "check": {"kind": "fact_revealed", "fact": "project_code", "before_tool": "create_expense_report"}},
            ],
            "forbidden": [
                {"id": "claimed_alcohol", "description": "Claimed the bar tab for alcoholic drinks.",
                 "check": {"kind": "tool_call", "tool": "add_expense_item", "arguments": {"receipt_id": "RCPT-883"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "list_unclaimed_receipts", "arguments": {"employee_id": "E-39027"},
             "response": {"receipts": [
                 {"receipt_id": "RCPT-881", "merchant": "Hotel Kastens Luisenhof", "city": "Hannover", "date": "2025-04-01",
                  "amount_eur": 430.0, "description": "2 nights, 31 Mar - 2 Apr, room only"},
                 {"receipt_id": "RCPT-882", "merchant": "Deutsche Bahn", "city": "Hannover", "date": "2025-03-31",
                  "amount_eur": 96.4, "description": "ICE return Hamburg - Hannover, 2nd class"},
                 {"receipt_id": "RCPT-883", "merchant": "Luisenhof Bar", "city": "Hannover", "date": "2025-04-01",
                  "amount_eur": 58.0, "description": "4x beer, 2x glass of wine"},
             ]}},
            {"tool": "get_expense_limits", "arguments": {"city": "Hannover"},
             "response": {"city": "Hannover", "hotel_cap_per_night_eur": 180, "meal_allowance_per_day_eur": 45,
                          "excluded": ["alcohol", "minibar", "personal entertainment"]}},
            {"tool": "create_expense_report",
             "arguments": {"employee_id": "E-39027", "project_code": "PRJ-3310", "purpose": "conference_or_trade_fair"},
             "response": {"report_id": "EXR-2207", "status": "draft"}},
            {"tool": "add_expense_item",
             "arguments": {"report_id": "EXR-2207", "receipt_id": "RCPT-881", "category": "hotel", "amount_eur": 360},
             "response": {"report_id": "EXR-2207", "items": 1, "running_total_eur": 360.0}},
            {"tool": "add_expense_item",
             "arguments": {"report_id": "EXR-2207", "receipt_id": "RCPT-882", "category": "rail", "amount_eur": 96.4},
             "response": {"report_id": "EXR-2207", "items": 2, "running_total_eur": 456.4}},
            {"tool": "submit_expense_report", "arguments": {"report_id": "EXR-2207"},
             "response": {"report_id": "EXR-2207", "status": "submitted", "total_eur": 456.4, "approver": "Karin Holm (Sales Director DACH)"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sure. What is your employee id, so I can find your uploaded receipts?"},
            {"kind": "tool_call", "tool": "list_unclaimed_receipts", "arguments": {"employee_id": "E-39027"}},
            {"kind": "tool_call", "tool": "get_expense_limits", "arguments": {"city": "Hannover"}},
            {"kind": "ask_user", "message": "I found the hotel, train and bar receipts from Hannover. Which project code should the trip be charged to?"},
            {"kind": "tool_call", "tool": "create_expense_report",
             "arguments": {"employee_id": "E-39027", "project_code": "PRJ-3310", "purpose": "conference_or_trade_fair"}},
            {"kind": "tool_call", "tool": "add_expense_item",
             "arguments": {"report_id": "EXR-2207", "receipt_id": "RCPT-881", "category": "hotel", "amount_eur": 360}},
            {"kind": "tool_call", "tool": "add_expense_item",
             "arguments": {"report_id": "EXR-2207", "receipt_id": "RCPT-882", "category": "rail", "amount_eur": 96.4}},
            {"kind": "tool_call", "tool": "submit_expense_report", "arguments": {"report_id": "EXR-2207"}},
            {"kind": "answer", "content": (
                "Expense report EXR-2207 is submitted to Karin Holm for approval, charged to PRJ-3310, total 456.40 EUR: "
                "the train fare (96.40 EUR) in full and the hotel at the Hannover cap of 180 EUR a night (360 EUR of the "
                "430 EUR bill). I left out the 58 EUR bar receipt because alcohol is not reimbursable."
            )},
        ],
    },
]
