"""Healthcare domain tasks for the bundled pack (hand-written; see ``synthagent_env/packs/build.py``)."""

TASKS = [
    {
        "id": "healthcare-dermatology-new-patient-booking",
        "domain": "healthcare",
        "persona": "A freelance graphic designer who noticed a mole changing shape and is anxious to be seen soon.",
        "instruction": "I'd like to book a skin check with one of your dermatologists.",
        "hidden_context": (
            "You are Chidi Okafor, born 1991-08-17, already a primary-care patient at the clinic but never seen in dermatology. "
            "A mole on your shoulder has changed shape. You would like to come in on Thursday 2025-06-19; any time works. "
            "A video visit would be convenient, but you'll go in person if needed."
        ),
        "hidden_facts": [
            {
                "key": "last_name",
                "value": "Okafor",
                "statement": "My name is Chidi Okafor.",
                "keywords": ["your name", "full name", "last name"],
            },
            {
                "key": "date_of_birth",
                "value": "1991-08-17",
                "statement": "My date of birth is 1991-08-17.",
                "keywords": ["date of birth", "birthday", "born", "dob"],
            },
            {
                "key": "preferred_date",
                "value": "2025-06-19",
                "statement": "Thursday 2025-06-19 would be best; any time that day works. A video visit would be handy if possible.",
                "keywords": ["which day", "what day", "preferred date", "what date", "when would"],
            },
        ],
        "tools": [
            {
                "name": "find_patient",
                "description": "Find a patient's chart by last name and date of birth.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "last_name": {"type": "string"},
                        "date_of_birth": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD"},
                    },
                    "required": ["last_name", "date_of_birth"],
                    "additionalProperties": False,
                },
                "output_description": "The patient id, full name and the specialties in which the patient is already established.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "patient_id": {"type": "string"},
                        "name": {"type": "string"},
                        "established_specialties": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
            {
                "name": "search_providers",
                "description": "List the clinic's providers in a specialty and whether each is accepting new patients.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "specialty": {"type": "string", "enum": ["dermatology", "cardiology", "primary_care", "orthopedics", "pediatrics"]},
                    },
                    "required": ["specialty"],
                    "additionalProperties": False,
                },
                "output_description": "Providers with provider_id, name, location and accepting_new_patients.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "providers": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "provider_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "location": {"type": "string"},
                                    "accepting_new_patients": {"type": "boolean"},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "get_provider_availability",
                "description": "Open appointment slots of one provider on one date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "provider_id": {"type": "string"},
                        "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    },
                    "required": ["provider_id", "date"],
                    "additionalProperties": False,
                },
                "output_description": "Open slots, each with slot_id, start time and visit_type (in_person or telehealth).",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "slots": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "slot_id": {"type": "string"},
                                    "start": {"type": "string"},
                                    "visit_type": {"type": "string", "enum": ["in_person", "telehealth"]},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "book_appointment",
                "description": "Book a patient into a provider's open slot.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "patient_id": {"type": "string"},
                        "provider_id": {"type": "string"},
                        "slot_id": {"type": "string"},
                        "visit_type": {"type": "string", "enum": ["in_person", "telehealth"]},
                        "reason": {"type": "string", "description": "Short reason for the visit."},
                    },
                    "required": ["patient_id", "provider_id", "slot_id", "visit_type", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "The appointment id, start time, location and check-in instructions.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "appointment_id": {"type": "string"},
                        "start": {"type": "string"},
                        "location": {"type": "string"},
                        "arrive_early_minutes": {"type": "integer"},
                    },
                },
            },
            {
                "name": "request_medical_records",
                "description": "Request a copy of a patient's records to be sent to another provider.",
                "parameters": {
                    "type": "object",
                    "properties": {"patient_id": {"type": "string"}, "recipient": {"type": "string"}},
                    "required": ["patient_id", "recipient"],
                    "additionalProperties": False,
                },
                "output_description": "The records request id.",
                "distractor": True,
            },
        ],
        "policy": [
            "A patient's first dermatology visit must NOT be booked as telehealth; new dermatology patients are seen in person.",
            "Only book with providers who are accepting new patients.",
        ],
        "workflow": [
            "Ask for the patient's name and date of birth and find the chart.",
            "Find dermatologists accepting new patients.",
            "Ask which day the patient wants to come in.",
            "Check the provider's availability on that day.",
            "Book the in-person slot and share the appointment details.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "found_patient", "description": "Found the patient's chart.",
                 "check": {"kind": "tool_call", "tool": "find_patient", "arguments": {"last_name": "Okafor", "date_of_birth": "1991-08-17"}}},
                {"id": "checked_availability", "description": "Checked Dr. Ellis's availability on 2025-06-19.",
                 "check": {"kind": "tool_call", "tool": "get_provider_availability", "arguments": {"provider_id": "DR-ELLIS", "date": "2025-06-19"}}},
                {"id": "booked_in_person", "description": "Booked the 14:30 in-person slot with Dr. Ellis.",
                 "check": {"kind": "tool_call", "tool": "book_appointment",
                           "arguments": {"patient_id": "P-310562", "provider_id": "DR-ELLIS", "slot_id": "S-0619-1430", "visit_type": "in_person"}}},
                {"id": "told_appointment_id", "description": "Gave the appointment id.",
                 "check": {"kind": "answer_contains", "values": ["APT-58820"]}},
            ],
            "required_interactions": [
                {"id": "asked_name", "description": "Asked for the patient's name before looking up the chart.",
                 "check": {"kind": "fact_revealed", "fact": "last_name", "before_tool": "find_patient"}},
                {"id": "asked_dob", "description": "Asked for the date of birth before looking up the chart.",
                 "check": {"kind": "fact_revealed", "fact": "date_of_birth", "before_tool": "find_patient"}},
                {"id": "asked_day", "description": "Asked which day before checking availability.",
                 "check": {"kind": "fact_revealed", "fact": "preferred_date", "before_tool": "get_provider_availability"}},
            ],
            "forbidden": [
                {"id": "telehealth_first_visit", "description": "Booked the first dermatology visit as telehealth.",
                 "check": {"kind": "tool_call", "tool": "book_appointment", "arguments": {"visit_type": "telehealth"}}},
                {"id": "closed_panel_provider", "description": "Booked with Dr. Nguyen, who is not taking new patients.",
                 "check": {"kind": "tool_call", "tool": "book_appointment", "arguments": {"provider_id": "DR-NGUYEN"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "find_patient", "arguments": {"last_name": "Okafor", "date_of_birth": "1991-08-17"},
             "response": {"patient_id": "P-310562", "name": "Chidi Okafor", "established_specialties": ["primary_care"]}},
            {"tool": "search_providers", "arguments": {"specialty": "dermatology"},
             "response": {"providers": [
                 {"provider_id": "DR-NGUYEN", "name": "Dr. Thomas Nguyen", "location": "Westside Clinic", "accepting_new_patients": False},
                 {"provider_id": "DR-ELLIS", "name": "Dr. Maya Ellis", "location": "Westside Clinic", "accepting_new_patients": True},
             ]}},
            {"tool": "get_provider_availability", "arguments": {"provider_id": "DR-ELLIS", "date": "2025-06-19"},
             "response": {"slots": [
                 {"slot_id": "S-0619-0900", "start": "2025-06-19T09:00", "visit_type": "telehealth"},
                 {"slot_id": "S-0619-1430", "start": "2025-06-19T14:30", "visit_type": "in_person"},
             ]}},
            {"tool": "book_appointment",
             "arguments": {"patient_id": "P-310562", "provider_id": "DR-ELLIS", "slot_id": "S-0619-1430",
                           "visit_type": "in_person", "reason": "Skin check: changing mole on shoulder"},
             "response": {"appointment_id": "APT-58820", "start": "2025-06-19T14:30",
                          "location": "Westside Clinic, Suite 210", "arrive_early_minutes": 15}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "I can help with that. What is your full name and date of birth?"},
            {"kind": "tool_call", "tool": "find_patient", "arguments": {"last_name": "Okafor", "date_of_birth": "1991-08-17"}},
            {"kind": "tool_call", "tool": "search_providers", "arguments": {"specialty": "dermatology"}},
            {"kind": "ask_user", "message": "Dr. Maya Ellis is accepting new dermatology patients. Which day would you like to come in?"},
            {"kind": "tool_call", "tool": "get_provider_availability", "arguments": {"provider_id": "DR-ELLIS", "date": "2025-06-19"}},
            {"kind": "tool_call", "tool": "book_appointment",
             "arguments": {"patient_id": "P-310562", "provider_id": "DR-ELLIS", "slot_id": "S-0619-1430",
                           "visit_type": "in_person", "reason": "Skin check: changing mole on shoulder"}},
            {"kind": "answer", "content": (
                "You're booked with Dr. Maya Ellis on 2025-06-19 at 14:30 at Westside Clinic, Suite 210 "
                "(appointment APT-58820); please arrive 15 minutes early. A first dermatology visit has to be in person, "
                "so I couldn't use the 9:00 video slot."
            )},
        ],
    },
    {
        "id": "healthcare-pharmacy-refill-and-renewal",
        "domain": "healthcare",
        "persona": "A 67-year-old retired machinist on blood-pressure and cholesterol pills who prefers plain language.",
        "instruction": "I'm running low on my regular pills and need them refilled.",
        "hidden_context": (
            "The phone number on your pharmacy profile is 248-555-0163 and you were born 1958-03-22. "
            "You take lisinopril and atorvastatin and want both. You pick up at the Oak Street pharmacy."
        ),
        "hidden_facts": [
            {
                "key": "phone",
                "value": "248-555-0163",
                "statement": "My phone number is 248-555-0163.",
                "keywords": ["phone"],
            },
            {
                "key": "date_of_birth",
                "value": "1958-03-22",
                "statement": "I was born 1958-03-22.",
                "keywords": ["date of birth", "birth", "born", "dob"],
            },
            {
                "key": "pickup_location",
                "value": "Oak Street",
                "statement": "I always pick up at Oak Street.",
                "keywords": ["pick up", "pickup", "which location", "which store", "which branch"],
            },
        ],
        "tools": [
            {
                "name": "get_pharmacy_profile",
                "description": "Open a patient's pharmacy profile by phone number and date of birth.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "phone": {"type": "string", "pattern": "^[0-9]{3}-[0-9]{3}-[0-9]{4}$"},
                        "date_of_birth": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    },
                    "required": ["phone", "date_of_birth"],
                    "additionalProperties": False,
                },
                "output_description": "The patient's name and active prescriptions with rx_number, drug, refills_remaining and prescriber_id.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "patient_id": {"type": "string"},
                        "name": {"type": "string"},
                        "prescriptions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "rx_number": {"type": "string"},
                                    "drug": {"type": "string"},
                                    "refills_remaining": {"type": "integer"},
                                    "prescriber_id": {"type": "string"},
                                    "last_filled": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "request_refill",
                "description": "Queue a refill of a prescription for pickup at one of our pharmacy locations.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "rx_number": {"type": "string", "pattern": "^RX-[0-9]{7}$"},
                        "pickup_location": {"type": "string", "enum": ["Oak Street", "Riverside", "Downtown"]},
                    },
                    "required": ["rx_number", "pickup_location"],
                    "additionalProperties": False,
                },
                "output_description": "The refill id, when it will be ready and the copay.",
                "output_schema": {
                    "type": "object",
                    "properties": {"refill_id": {"type": "string"}, "ready_by": {"type": "string"}, "copay": {"type": "number"}},
                },
            },
            {
                "name": "send_renewal_request",
                "description": "Ask the prescriber to authorize a new prescription when no refills are left.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "rx_number": {"type": "string", "pattern": "^RX-[0-9]{7}$"},
                        "prescriber_id": {"type": "string"},
                        "pickup_location": {"type": "string", "enum": ["Oak Street", "Riverside", "Downtown"]},
                    },
                    "required": ["rx_number", "prescriber_id", "pickup_location"],
                    "additionalProperties": False,
                },
                "output_description": "The renewal request id, its status and the prescriber's typical turnaround.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "renewal_request_id": {"type": "string"},
                        "status": {"type": "string"},
                        "typical_turnaround_days": {"type": "integer"},
                    },
                },
            },
            {
                "name": "book_vaccination",
                "description": "Book a vaccination appointment at a pharmacy.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "patient_id": {"type": "string"},
                        "vaccine": {"type": "string", "enum": ["flu", "covid19", "shingles", "pneumococcal"]},
                        "date": {"type": "string"},
                    },
                    "required": ["patient_id", "vaccine", "date"],
                    "additionalProperties": False,
                },
                "output_description": "The vaccination appointment id and time.",
                "distractor": True,
            },
        ],
        "policy": [
            "request_refill must NOT be used for a prescription with 0 refills remaining; send a renewal request to the prescriber instead.",
        ],
        "workflow": [
            "Ask for the phone number and date of birth and open the pharmacy profile.",
            "Review which prescriptions still have refills.",
            "Ask where the patient picks up.",
            "Refill the prescription that has refills left.",
            "Send a renewal request to the prescriber for the one with none left.",
            "Explain both outcomes with their ids.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "opened_profile", "description": "Opened the pharmacy profile.",
                 "check": {"kind": "tool_call", "tool": "get_pharmacy_profile", "arguments": {"phone": "248-555-0163", "date_of_birth": "1958-03-22"}}},
                {"id": "refilled_lisinopril", "description": "Refilled lisinopril for pickup at Oak Street.",
                 "check": {"kind": "tool_call", "tool": "request_refill", "arguments": {"rx_number": "RX-4471920", "pickup_location": "Oak Street"}}},
                {"id": "renewal_atorvastatin", "description": "Sent a renewal request for atorvastatin to the prescriber.",
                 "check": {"kind": "tool_call", "tool": "send_renewal_request",
                           "arguments": {"rx_number": "RX-4471934", "prescriber_id": "NPI-1881002", "pickup_location": "Oak Street"}}},
                {"id": "told_ids", "description": "Gave the refill id and the renewal request id.",
                 "check": {"kind": "answer_contains", "values": ["RF-22019", "RN-5108"]}},
            ],
            "required_interactions": [
                {"id": "asked_phone", "description": "Asked for the phone number before opening the profile.",
                 "check": {"kind": "fact_revealed", "fact": "phone", "before_tool": "get_pharmacy_profile"}},
                {"id": "asked_dob", "description": "Asked for the date of birth before opening the profile.",
                 "check": {"kind": "fact_revealed", "fact": "date_of_birth", "before_tool": "get_pharmacy_profile"}},
                {"id": "asked_pickup", "description": "Asked where to pick up before requesting the refill.",
                 "check": {"kind": "fact_revealed", "fact": "pickup_location", "before_tool": "request_refill"}},
            ],
            "forbidden": [
                {"id": "refilled_without_refills", "description": "Requested a refill of atorvastatin, which has no refills left.",
                 "check": {"kind": "tool_call", "tool": "request_refill", "arguments": {"rx_number": "RX-4471934"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_pharmacy_profile", "arguments": {"phone": "248-555-0163", "date_of_birth": "1958-03-22"},
             "response": {"patient_id": "RXP-77120", "name": "Walter Kowalski", "prescriptions": [
                 {"rx_number": "RX-4471920", "drug": "Lisinopril 20 mg tablets", "refills_remaining": 3,
                  "prescriber_id": "NPI-1881002", "last_filled": "2025-05-08"},
                 {"rx_number": "RX-4471934", "drug": "Atorvastatin 40 mg tablets", "refills_remaining": 0,
                  "prescriber_id": "NPI-1881002", "last_filled": "2025-05-08"},
             ]}},
            {"tool": "request_refill", "arguments": {"rx_number": "RX-4471920", "pickup_location": "Oak Street"},
             "response": {"refill_id": "RF-22019", "ready_by": "2025-06-10T15:00", "copay": 5.0}},
            {"tool": "send_renewal_request",
             "arguments": {"rx_number": "RX-4471934", "prescriber_id": "NPI-1881002", "pickup_location": "Oak Street"},
             "response": {"renewal_request_id": "RN-5108", "status": "sent_to_prescriber", "typical_turnaround_days": 2}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "I can help with that. What phone number is on your profile, and what is your date of birth?"},
            {"kind": "tool_call", "tool": "get_pharmacy_profile", "arguments": {"phone": "248-555-0163", "date_of_birth": "1958-03-22"}},
            {"kind": "ask_user", "message": (
                "Thanks, Mr. Kowalski. Your lisinopril has 3 refills left; your atorvastatin has none, so I'll need to ask "
                "your doctor to renew it. Which location do you pick up from?"
            )},
            {"kind": "tool_call", "tool": "request_refill", "arguments": {"rx_number": "RX-4471920", "pickup_location": "Oak Street"}},
            {"kind": "tool_call", "tool": "send_renewal_request",
             "arguments": {"rx_number": "RX-4471934", "prescriber_id": "NPI-1881002", "pickup_location": "Oak Street"}},
            {"kind": "answer", "content": (
                "Your lisinopril refill (RF-22019) will be ready at Oak Street by 3 pm on 2025-06-10, copay $5.00. "
                "Atorvastatin had no refills left, so I sent renewal request RN-5108 to your doctor; it usually takes about "
                "2 days, and we'll fill it at Oak Street once approved."
            )},
        ],
    },
    {
        "id": "healthcare-er-claim-appeal",
        "domain": "healthcare",
        "persona": "A high-school soccer coach who got a surprise bill after an emergency room visit; frustrated but organized.",
        "instruction": "My insurance denied the claim for my ER visit and I want to fight it.",
        "hidden_context": (
            "Your member ID is HMX-55128840 and the denial letter lists claim number CLM-2025-0417-88. "
            "You were taken by ambulance to the nearest ER after a collision on the field. "
            "You want the appeal decision sent to coach.dlamini@example.org. You are worried and would like it handled as fast as possible."
        ),
        "hidden_facts": [
            {
                "key": "member_id",
                "value": "HMX-55128840",
                "statement": "My member ID is HMX-55128840.",
                "keywords": ["member id", "member number", "insurance id", "id card"],
            },
            {
                "key": "claim_number",
                "value": "CLM-2025-0417-88",
                "statement": "The claim number on the letter is CLM-2025-0417-88. The ambulance took me to the nearest ER.",
                "keywords": ["claim number", "claim id", "claim #"],
            },
            {
                "key": "contact_email",
                "value": "coach.dlamini@example.org",
                "statement": "Send it to coach.dlamini@example.org. Can you rush it?",
                "keywords": ["email", "e-mail"],
            },
        ],
        "tools": [
            {
                "name": "get_claim",
                "description": "Look up a member's claim: service date, provider, amounts, status and any denial reason.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "member_id": {"type": "string"},
                        "claim_number": {"type": "string", "pattern": "^CLM-[0-9]{4}-[0-9]{4}-[0-9]{2}$"},
                    },
                    "required": ["member_id", "claim_number"],
                    "additionalProperties": False,
                },
                "output_description": "The claim's date of service, provider, billed amount, status, denial reason and appeal deadline.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "claim_number": {"type": "string"},
                        "date_of_service": {"type": "string"},
                        "provider": {"type": "string"},
                        "billed_amount": {"type": "number"},
                        "status": {"type": "string", "enum": ["paid", "pending", "denied"]},
                        "denial_reason": {"type": ["string", "null"]},
                        "appeal_deadline": {"type": ["string", "null"]},
                    },
                },
            },
            {
                "name": "get_plan_benefits",
                "description": "Describe how the member's plan covers one category of care.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "member_id": {"type": "string"},
                        "benefit": {"type": "string", "enum": ["emergency_care", "imaging", "specialist", "pharmacy", "mental_health"]},
                    },
                    "required": ["member_id", "benefit"],
                    "additionalProperties": False,
                },
                "output_description": "Coverage rules for that benefit: copay, coinsurance and out-of-network treatment.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "benefit": {"type": "string"},
                        "copay": {"type": "number"},
                        "out_of_network_rule": {"type": "string"},
                    },
                },
            },
            {
                "name": "submit_appeal",
                "description": "File a formal appeal of a denied claim.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "member_id": {"type": "string"},
                        "claim_number": {"type": "string"},
                        "appeal_reason": {
                            "type": "string",
                            "enum": ["emergency_services", "prior_auth_obtained", "billing_error", "medical_necessity"],
                        },
                        "expedited": {"type": "boolean", "description": "Request a 72-hour expedited review."},
                        "contact_email": {"type": "string", "format": "email"},
                        "notes": {"type": "string"},
                    },
                    "required": ["member_id", "claim_number", "appeal_reason", "expedited", "contact_email"],
                    "additionalProperties": False,
                },
                "output_description": "The appeal id, its status and the date a decision is due.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "appeal_id": {"type": "string"},
                        "status": {"type": "string"},
                        "decision_due_by": {"type": "string"},
                    },
                },
            },
            {
                "name": "find_in_network_providers",
                "description": "Search in-network doctors and facilities near a ZIP code.",
                "parameters": {
                    "type": "object",
                    "properties": {"member_id": {"type": "string"}, "specialty": {"type": "string"}, "zip_code": {"type": "string"}},
                    "required": ["member_id", "specialty", "zip_code"],
                    "additionalProperties": False,
                },
                "output_description": "In-network providers with addresses and phone numbers.",
                "distractor": True,
            },
            {
                "name": "order_replacement_id_card",
                "description": "Mail the member a new insurance ID card.",
                "parameters": {
                    "type": "object",
                    "properties": {"member_id": {"type": "string"}},
                    "required": ["member_id"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation and the expected mailing date.",
                "distractor": True,
            },
        ],
        "policy": [
            "submit_appeal must NOT request expedited review for care that was already received; expedited review is only for urgent care still pending.",
        ],
        "workflow": [
            "Ask for the member ID and the claim number from the denial letter.",
            "Look up the claim and its denial reason.",
            "Check how the plan covers emergency care out of network.",
            "Ask where the appeal decision should be sent.",
            "File a standard (not expedited) appeal on emergency-services grounds.",
            "Give the appeal id and the decision date.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_claim", "description": "Looked up the denied claim.",
                 "check": {"kind": "tool_call", "tool": "get_claim", "arguments": {"member_id": "HMX-55128840", "claim_number": "CLM-2025-0417-88"}}},
                {"id": "checked_benefits", "description": "Checked the emergency-care benefit.",
                 "check": {"kind": "tool_call", "tool": "get_plan_benefits", "arguments": {"member_id": "HMX-55128840", "benefit": "emergency_care"}}},
                {"id": "filed_appeal", "description": "Filed a standard appeal citing emergency services, with the member's email.",
                 "check": {"kind": "tool_call", "tool": "submit_appeal",
                           "arguments": {"member_id": "HMX-55128840", "claim_number": "CLM-2025-0417-88",
                                         "appeal_reason": "emergency_services", "expedited": False,
                                         "contact_email": "coach.dlamini@example.org"}}},
                {"id": "told_appeal_id", "description": "Gave the appeal id and decision date.",
                 "check": {"kind": "answer_contains", "values": ["APL-60391", "2025-07-08"]}},
            ],
            "required_interactions": [
                {"id": "asked_member_id", "description": "Asked for the member ID before looking up the claim.",
                 "check": {"kind": "fact_revealed", "fact": "member_id", "before_tool": "get_claim"}},
                {"id": "asked_claim_number", "description": "Asked for the claim number before looking it up.",
                 "check": {"kind": "fact_revealed", "fact": "claim_number", "before_tool": "get_claim"}},
                {"id": "asked_email", "description": "Asked where to send the decision before filing.",
                 "check": {"kind": "fact_revealed", "fact": "contact_email", "before_tool": "submit_appeal"}},
            ],
            "forbidden": [
                {"id": "expedited_post_service", "description": "Requested expedited review for care already received.",
                 "check": {"kind": "tool_call", "tool": "submit_appeal", "arguments": {"expedited": True}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_claim", "arguments": {"member_id": "HMX-55128840", "claim_number": "CLM-2025-0417-88"},
             "response": {"claim_number": "CLM-2025-0417-88", "date_of_service": "2025-04-17",
                          "provider": "St. Brendan Medical Center - Emergency Department", "billed_amount": 4820.0,
                          "status": "denied", "denial_reason": "out_of_network_provider", "appeal_deadline": "2025-10-14"}},
            {"tool": "get_plan_benefits", "arguments": {"member_id": "HMX-55128840", "benefit": "emergency_care"},
             "response": {"benefit": "emergency_care", "copay": 250.0,
                          "out_of_network_rule": "Emergency care at an out-of-network facility is covered at the in-network rate."}},
            {"tool": "submit_appeal",
             "arguments": {"member_id": "HMX-55128840", "claim_number": "CLM-2025-0417-88", "appeal_reason": "emergency_services",
                           "expedited": False, "contact_email": "coach.dlamini@example.org",
                           "notes": "Transported by ambulance to the nearest ER after an injury; plan covers out-of-network emergency care at the in-network rate."},
             "response": {"appeal_id": "APL-60391", "status": "received", "decision_due_by": "2025-07-08"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": (
                "I'm sorry you're dealing with this. What is the member ID on your insurance card, "
                "and the claim number from the denial letter?"
            )},
            {"kind": "tool_call", "tool": "get_claim", "arguments": {"member_id": "HMX-55128840", "claim_number": "CLM-2025-0417-88"}},
            {"kind": "tool_call", "tool": "get_plan_benefits", "arguments": {"member_id": "HMX-55128840", "benefit": "emergency_care"}},
            {"kind": "ask_user", "message": (
                "The claim was denied because St. Brendan is out of network, but your plan covers emergency care there at the "
                "in-network rate, so you have solid grounds. What email address should the appeal decision go to?"
            )},
            {"kind": "tool_call", "tool": "submit_appeal",
             "arguments": {"member_id": "HMX-55128840", "claim_number": "CLM-2025-0417-88", "appeal_reason": "emergency_services",
                           "expedited": False, "contact_email": "coach.dlamini@example.org",
                           "notes": "Transported by ambulance to the nearest ER after an injury; plan covers out-of-network emergency care at the in-network rate."}},
            {"kind": "answer", "content": (
                "Your appeal APL-60391 is filed on emergency-services grounds; a decision is due by 2025-07-08 and will be "
                "emailed to coach.dlamini@example.org. Expedited review is only for urgent care that hasn't happened yet, "
                "so this one goes through the standard review."
            )},
        ],
    },
    {
        "id": "healthcare-lab-results-release",
        "domain": "healthcare",
        "persona": "A software engineer relocating to Boston who is setting up care with a new endocrinologist.",
        "instruction": "Can you send my recent blood test results over to my new doctor?",
        "hidden_context": (
            "Your medical record number is MRN-00482913 and your date of birth is 1986-11-02. You want all bloodwork since "
            "2025-01-01 sent to Dr. Laura Chen, whose office fax is 617-555-0142. You assume everything can just be sent."
        ),
        "hidden_facts": [
            {
                "key": "mrn",
                "value": "MRN-00482913",
                "statement": "My medical record number is MRN-00482913.",
                "keywords": ["medical record number", "mrn", "record number", "patient id"],
            },
            {
                "key": "date_of_birth",
                "value": "1986-11-02",
                "statement": "My date of birth is 1986-11-02.",
                "keywords": ["date of birth", "birth", "dob"],
            },
            {
                "key": "results_since",
                "value": "2025-01-01",
                "statement": "Everything since 2025-01-01, so all of this year's bloodwork.",
                "keywords": ["how far back", "since when", "time frame", "timeframe", "which results"],
            },
            {
                "key": "recipient_fax",
                "value": "617-555-0142",
                "statement": "It's Dr. Laura Chen; her office fax is 617-555-0142.",
                "aliases": ["6175550142"],
                "keywords": ["fax"],
            },
        ],
        "tools": [
            {
                "name": "verify_patient",
                "description": "Verify a patient's identity with their medical record number and date of birth.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "mrn": {"type": "string", "pattern": "^MRN-[0-9]{8}$"},
                        "date_of_birth": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    },
                    "required": ["mrn", "date_of_birth"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the identity is verified, the patient id and name.",
                "output_schema": {
                    "type": "object",
                    "properties": {"verified": {"type": "boolean"}, "patient_id": {"type": "string"}, "name": {"type": "string"}},
                },
            },
            {
                "name": "list_lab_results",
                "description": "List a patient's released lab results collected on or after a date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "patient_id": {"type": "string"},
                        "since_date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    },
                    "required": ["patient_id", "since_date"],
                    "additionalProperties": False,
                },
                "output_description": "Results with result_id, test name, collection date and a category (general or sensitive).",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "result_id": {"type": "string"},
                                    "test": {"type": "string"},
                                    "collected": {"type": "string"},
                                    "category": {"type": "string", "enum": ["general", "sensitive_hiv", "sensitive_genetic"]},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "check_release_consents",
                "description": "Show which records-release authorizations the patient has signed.",
                "parameters": {
                    "type": "object",
                    "properties": {"patient_id": {"type": "string"}},
                    "required": ["patient_id"],
                    "additionalProperties": False,
                },
                "output_description": "Whether a general release and each sensitive-category release is on file.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "general_release": {"type": "boolean"},
                        "hiv_release": {"type": "boolean"},
                        "genetic_release": {"type": "boolean"},
                    },
                },
            },
            {
                "name": "send_results_to_provider",
                "description": "Fax selected lab results to an outside provider.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "patient_id": {"type": "string"},
                        "result_ids": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        "recipient_name": {"type": "string"},
                        "recipient_fax": {"type": "string", "pattern": "^[0-9]{3}-[0-9]{3}-[0-9]{4}$"},
                    },
                    "required": ["patient_id", "result_ids", "recipient_name", "recipient_fax"],
                    "additionalProperties": False,
                },
                "output_description": "The transmission id, the number of pages and the fax status.",
                "output_schema": {
                    "type": "object",
                    "properties": {"transmission_id": {"type": "string"}, "pages": {"type": "integer"}, "status": {"type": "string"}},
                },
            },
            {
                "name": "schedule_lab_draw",
                "description": "Book a blood-draw appointment at a lab location.",
                "parameters": {
                    "type": "object",
                    "properties": {"patient_id": {"type": "string"}, "date": {"type": "string"}, "location": {"type": "string"}},
                    "required": ["patient_id", "date", "location"],
                    "additionalProperties": False,
                },
                "output_description": "The lab appointment id and time.",
                "distractor": True,
            },
        ],
        "policy": [
            "send_results_to_provider must NOT include HIV test results unless check_release_consents shows an HIV-specific release on file; a general release does not cover them.",
        ],
        "workflow": [
            "Ask for the medical record number and date of birth and verify the patient.",
            "Ask how far back the results should go and who receives them (name and fax).",
            "List the lab results in that period.",
            "Check which release authorizations are on file.",
            "Fax only the results the consents allow and explain what was held back.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "verified_patient", "description": "Verified the patient's identity.",
                 "check": {"kind": "tool_call", "tool": "verify_patient", "arguments": {"mrn": "MRN-00482913", "date_of_birth": "1986-11-02"}}},
                {"id": "listed_results", "description": "Listed results since 2025-01-01.",
                 "check": {"kind": "tool_call", "tool": "list_lab_results", "arguments": {"patient_id": "PT-482913", "since_date": "2025-01-01"}}},
                {"id": "checked_consents", "description": "Checked the release consents on file.",
                 "check": {"kind": "tool_call", "tool": "check_release_consents", "arguments": {"patient_id": "PT-482913"}}},
                {"id": "sent_thyroid_panel", "description": "Faxed the thyroid panel to Dr. Chen's office.",
                 "check": {"kind": "tool_call", "tool": "send_results_to_provider",
                           "arguments": {"patient_id": "PT-482913", "recipient_fax": "617-555-0142", "result_ids": {"$contains": "LAB-9902"}}}},
                {"id": "sent_a1c", "description": "Faxed the hemoglobin A1c result to Dr. Chen's office.",
                 "check": {"kind": "tool_call", "tool": "send_results_to_provider",
                           "arguments": {"recipient_fax": "617-555-0142", "result_ids": {"$contains": "LAB-9915"}}}},
                {"id": "told_transmission", "description": "Gave the fax transmission id.",
                 "check": {"kind": "answer_contains", "values": ["FAX-33017"]}},
            ],
            "required_interactions": [
                {"id": "asked_mrn", "description": "Asked for the record number before verifying.",
                 "check": {"kind": "fact_revealed", "fact": "mrn", "before_tool": "verify_patient"}},
                {"id": "asked_dob", "description": "Asked for the date of birth before verifying.",
                 "check": {"kind": "fact_revealed", "fact": "date_of_birth", "before_tool": "verify_patient"}},
                {"id": "asked_period", "description": "Asked how far back before listing results.",
                 "check": {"kind": "fact_revealed", "fact": "results_since", "before_tool": "list_lab_results"}},
                {"id": "asked_fax", "description": "Asked for the recipient's fax before sending.",
                 "check": {"kind": "fact_revealed", "fact": "recipient_fax", "before_tool": "send_results_to_provider"}},
            ],
            "forbidden": [
                {"id": "sent_hiv_without_consent", "description": "Faxed the HIV screen without an HIV-specific release.",
                 "check": {"kind": "tool_call", "tool": "send_results_to_provider", "arguments": {"result_ids": {"$contains": "LAB-9907"}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "verify_patient", "arguments": {"mrn": "MRN-00482913", "date_of_birth": "1986-11-02"},
             "response": {"verified": True, "patient_id": "PT-482913", "name": "Rahul Mehta"}},
            {"tool": "list_lab_results", "arguments": {"patient_id": "PT-482913", "since_date": "2025-01-01"},
             "response": {"results": [
                 {"result_id": "LAB-9901", "test": "Comprehensive metabolic panel", "collected": "2025-02-10", "category": "general"},
                 {"result_id": "LAB-9902", "test": "Thyroid panel (TSH, free T4)", "collected": "2025-02-10", "category": "general"},
                 {"result_id": "LAB-9907", "test": "HIV-1/2 antigen/antibody screen", "collected": "2025-02-10", "category": "sensitive_hiv"},
                 {"result_id": "LAB-9915", "test": "Hemoglobin A1c", "collected": "2025-05-03", "category": "general"},
             ]}},
            {"tool": "check_release_consents", "arguments": {"patient_id": "PT-482913"},
             "response": {"general_release": True, "hiv_release": False, "genetic_release": False}},
            {"tool": "send_results_to_provider",
             "arguments": {"patient_id": "PT-482913", "result_ids": ["LAB-9901", "LAB-9902", "LAB-9915"],
                           "recipient_name": "Dr. Laura Chen", "recipient_fax": "617-555-0142"},
             "response": {"transmission_id": "FAX-33017", "pages": 6, "status": "queued"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Happy to. First I need to verify you: what is your medical record number and date of birth?"},
            {"kind": "tool_call", "tool": "verify_patient", "arguments": {"mrn": "MRN-00482913", "date_of_birth": "1986-11-02"}},
            {"kind": "ask_user", "message": (
                "Thanks, Rahul, you're verified. How far back should I go for the results, and what is the new doctor's "
                "name and fax number?"
            )},
            {"kind": "tool_call", "tool": "list_lab_results", "arguments": {"patient_id": "PT-482913", "since_date": "2025-01-01"}},
            {"kind": "tool_call", "tool": "check_release_consents", "arguments": {"patient_id": "PT-482913"}},
            {"kind": "tool_call", "tool": "send_results_to_provider",
             "arguments": {"patient_id": "PT-482913", "result_ids": ["LAB-9901", "LAB-9902", "LAB-9915"],
                           "recipient_name": "Dr. Laura Chen", "recipient_fax": "617-555-0142"}},
            {"kind": "answer", "content": (
                "I've faxed your metabolic panel, thyroid panel and hemoglobin A1c to Dr. Laura Chen at 617-555-0142 "
                "(transmission FAX-33017, 6 pages). Your February HIV screen was not included: sending it needs a separate "
                "HIV-specific release, which isn't on file. If you sign one, we can send it too."
            )},
        ],
    },
    {
        "id": "healthcare-dental-cancel-and-waitlist",
        "domain": "healthcare",
        "persona": "A flight attendant whose roster changed at the last minute and who is trying to keep her dental care on track.",
        "instruction": "I have to cancel my upcoming dental appointment.",
        "hidden_context": (
            "The phone number on your dental file is 503-555-0127. You have a cleaning tomorrow morning that you must cancel "
            "because you've been called in for a trip; keep the crown fitting later in the month. You're back on 2025-06-16 "
            "and would like an earlier cleaning if one opens up. You'd like the late fee waived if possible."
        ),
        "hidden_facts": [
            {
                "key": "phone",
                "value": "503-555-0127",
                "statement": "My phone number is 503-555-0127.",
                "keywords": ["phone"],
            },
            {
                "key": "which_appointment",
                "value": "cleaning",
                "statement": "The cleaning tomorrow; I've been called in for a trip. Keep the crown fitting. Any chance you can skip the late fee?",
                "keywords": ["which appointment", "which one", "which visit"],
            },
            {
                "key": "back_date",
                "value": "2025-06-16",
                "statement": "Yes please, I'm back on 2025-06-16, any day after that works.",
                "keywords": ["waitlist", "wait list", "when are you back", "back in town"],
            },
        ],
        "tools": [
            {
                "name": "find_appointments",
                "description": "Find a dental patient's upcoming appointments by the phone number on file.",
                "parameters": {
                    "type": "object",
                    "properties": {"phone": {"type": "string", "pattern": "^[0-9]{3}-[0-9]{3}-[0-9]{4}$"}},
                    "required": ["phone"],
                    "additionalProperties": False,
                },
                "output_description": "The patient id, the current time and upcoming appointments (id, type, provider, start).",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "patient_id": {"type": "string"},
                        "name": {"type": "string"},
                        "as_of": {"type": "string"},
                        "upcoming": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "appointment_id": {"type": "string"},
                                    "type": {"type": "string"},
                                    "provider_id": {"type": "string"},
                                    "start": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "cancel_appointment",
                "description": "Cancel an appointment; a late-cancellation fee applies within 24 hours unless waived.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "appointment_id": {"type": "string"},
                        "reason": {"type": "string", "enum": ["schedule_conflict", "illness", "cost", "other"]},
                        "waive_late_fee": {"type": "boolean"},
                    },
                    "required": ["appointment_id", "reason", "waive_late_fee"],
                    "additionalProperties": False,
                },
                "output_description": "The cancellation id and any late fee charged.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "cancellation_id": {"type": "string"},
                        "appointment_id": {"type": "string"},
                        "late_fee_charged": {"type": "number"},
                    },
                },
            },
            {
                "name": "join_waitlist",
                "description": "Put a patient on a provider's waitlist for an earlier opening of a given appointment type.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "patient_id": {"type": "string"},
                        "provider_id": {"type": "string"},
                        "appointment_type": {"type": "string", "enum": ["cleaning", "exam", "filling", "crown fitting"]},
                        "earliest_date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    },
                    "required": ["patient_id", "provider_id", "appointment_type", "earliest_date"],
                    "additionalProperties": False,
                },
                "output_description": "The waitlist entry id and the patient's position.",
                "output_schema": {
                    "type": "object",
                    "properties": {"waitlist_id": {"type": "string"}, "position": {"type": "integer"}},
                },
            },
            {
                "name": "update_insurance",
                "description": "Replace the dental insurance on a patient's file.",
                "parameters": {
                    "type": "object",
                    "properties": {"patient_id": {"type": "string"}, "carrier": {"type": "string"}, "member_id": {"type": "string"}},
                    "required": ["patient_id", "carrier", "member_id"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation that the insurance was updated.",
                "distractor": True,
            },
        ],
        "policy": [
            "cancel_appointment must NOT waive the late fee (waive_late_fee true) for a cancellation less than 24 hours before the appointment; the $40 fee applies.",
        ],
        "workflow": [
            "Ask for the phone number on file and find the upcoming appointments.",
            "Ask which appointment to cancel.",
            "Cancel it, applying the late fee because it is within 24 hours.",
            "Offer the waitlist and ask when the patient is back.",
            "Add the patient to the hygienist's waitlist and report both ids.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "found_appointments", "description": "Found the patient's appointments.",
                 "check": {"kind": "tool_call", "tool": "find_appointments", "arguments": {"phone": "503-555-0127"}}},
                {"id": "cancelled_cleaning", "description": "Cancelled the cleaning with the late fee applied.",
                 "check": {"kind": "tool_call", "tool": "cancel_appointment",
                           "arguments": {"appointment_id": "DA-7710", "reason": "schedule_conflict", "waive_late_fee": False}}},
                {"id": "joined_waitlist", "description": "Added the patient to the hygienist's cleaning waitlist from 2025-06-16.",
                 "check": {"kind": "tool_call", "tool": "join_waitlist",
                           "arguments": {"patient_id": "DP-20844", "provider_id": "HYG-03", "appointment_type": "cleaning",
                                         "earliest_date": "2025-06-16"}}},
                {"id": "told_ids", "description": "Gave the cancellation id and the waitlist id.",
                 "check": {"kind": "answer_contains", "values": ["CX-11402", "WL-3306"]}},
            ],
            "required_interactions": [
                {"id": "asked_phone", "description": "Asked for the phone number before looking up appointments.",
                 "check": {"kind": "fact_revealed", "fact": "phone", "before_tool": "find_appointments"}},
                {"id": "asked_which", "description": "Asked which appointment before cancelling.",
                 "check": {"kind": "fact_revealed", "fact": "which_appointment", "before_tool": "cancel_appointment"}},
                {"id": "asked_back_date", "description": "Asked when the patient is back before joining the waitlist.",
                 "check": {"kind": "fact_revealed", "fact": "back_date", "before_tool": "join_waitlist"}},
            ],
            "forbidden": [
                {"id": "waived_late_fee", "description": "Waived the late fee for a cancellation within 24 hours.",
                 "check": {"kind": "tool_call", "tool": "cancel_appointment", "arguments": {"waive_late_fee": True}}},
            ],
        },
        "seed_mapping": [
            {"tool": "find_appointments", "arguments": {"phone": "503-555-0127"},
             "response": {"patient_id": "DP-20844", "name": "Ana Sousa", "as_of": "2025-06-09T14:20", "upcoming": [
                 {"appointment_id": "DA-7710", "type": "cleaning", "provider_id": "HYG-03", "start": "2025-06-10T09:00"},
                 {"appointment_id": "DA-7788", "type": "crown fitting", "provider_id": "DDS-01", "start": "2025-06-24T13:30"},
             ]}},
            {"tool": "cancel_appointment",
             "arguments": {"appointment_id": "DA-7710", "reason": "schedule_conflict", "waive_late_fee": False},
             "response": {"cancellation_id": "CX-11402", "appointment_id": "DA-7710", "late_fee_charged": 40.0}},
            {"tool": "join_waitlist",
             "arguments": {"patient_id": "DP-20844", "provider_id": "HYG-03", "appointment_type": "cleaning", "earliest_date": "2025-06-16"},
             "response": {"waitlist_id": "WL-3306", "position": 2}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "I can take care of that. What phone number is on your dental file?"},
            {"kind": "tool_call", "tool": "find_appointments", "arguments": {"phone": "503-555-0127"}},
            {"kind": "ask_user", "message": (
                "I see a cleaning tomorrow (June 10) at 9:00 and a crown fitting on June 24 at 13:30. "
                "Which appointment do you need to cancel?"
            )},
            {"kind": "tool_call", "tool": "cancel_appointment",
             "arguments": {"appointment_id": "DA-7710", "reason": "schedule_conflict", "waive_late_fee": False}},
            {"kind": "ask_user", "message": (
                "The cleaning is cancelled. Because it's less than 24 hours away, the $40 late fee does apply and I can't waive it. "
                "Would you like to join the waitlist for an earlier cleaning? If so, when are you back?"
            )},
            {"kind": "tool_call", "tool": "join_waitlist",
             "arguments": {"patient_id": "DP-20844", "provider_id": "HYG-03", "appointment_type": "cleaning", "earliest_date": "2025-06-16"}},
            {"kind": "answer", "content": (
                "Your cleaning on June 10 is cancelled (CX-11402) with the $40 late-cancellation fee. Your crown fitting on "
                "June 24 is unchanged. You're #2 on the hygienist's waitlist (WL-3306) for a cleaning from 2025-06-16 on; "
                "we'll call you when a slot opens."
            )},
        ],
    },
    {
        "id": "healthcare-knee-mri-prior-auth",
        "domain": "healthcare",
        "persona": "A recreational rock climber with a knee injury on a high-deductible plan who compares every cost.",
        "instruction": "My doctor ordered an MRI of my knee; help me find the cheapest place to get it and get it approved.",
        "hidden_context": (
            "Your member ID is BCX-771-20455 and the referral number on your orthopedist's order is REF-88213. "
            "You live in ZIP 80302. You've heard Flatirons Open MRI is cheap and close and would be happy to go there."
        ),
        "hidden_facts": [
            {
                "key": "member_id",
                "value": "BCX-771-20455",
                "statement": "My member ID is BCX-771-20455.",
                "keywords": ["member id", "member number", "insurance id", "id card"],
            },
            {
                "key": "referral_number",
                "value": "REF-88213",
                "statement": "The referral number is REF-88213.",
                "keywords": ["referral"],
            },
            {
                "key": "zip_code",
                "value": "80302",
                "statement": "I'm in 80302. I've heard Flatirons Open MRI is cheap, is that an option?",
                "keywords": ["zip", "postal code", "where are you located"],
            },
        ],
        "tools": [
            {
                "name": "get_referral",
                "description": "Read a referral on file: the ordered procedure (CPT code), diagnosis and validity.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "referral_number": {"type": "string", "pattern": "^REF-[0-9]{5}$"},
                        "member_id": {"type": "string"},
                    },
                    "required": ["referral_number", "member_id"],
                    "additionalProperties": False,
                },
                "output_description": "The CPT code and description of the ordered procedure, the diagnosis code, the ordering provider and the expiry date.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "referral_number": {"type": "string"},
                        "cpt_code": {"type": "string"},
                        "description": {"type": "string"},
                        "diagnosis_code": {"type": "string"},
                        "ordering_provider": {"type": "string"},
                        "valid_through": {"type": "string"},
                    },
                },
            },
            {
                "name": "find_imaging_facilities",
                "description": "Find imaging facilities near a ZIP code that perform a procedure, with their network status for the member's plan.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "zip_code": {"type": "string", "pattern": "^[0-9]{5}$"},
                        "cpt_code": {"type": "string", "pattern": "^[0-9]{5}$"},
                        "radius_miles": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                    "required": ["zip_code", "cpt_code", "radius_miles"],
                    "additionalProperties": False,
                },
                "output_description": "Facilities with facility_id, name, distance and network status (in_network or out_of_network).",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "facilities": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "facility_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "distance_miles": {"type": "number"},
                                    "network": {"type": "string", "enum": ["in_network", "out_of_network"]},
                                },
                            },
                        }
                    },
                },
            },
            {
                "name": "get_cost_estimate",
                "description": "Estimate what the member would pay for a procedure at one facility, given their deductible.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "member_id": {"type": "string"},
                        "facility_id": {"type": "string"},
                        "cpt_code": {"type": "string", "pattern": "^[0-9]{5}$"},
                    },
                    "required": ["member_id", "facility_id", "cpt_code"],
                    "additionalProperties": False,
                },
                "output_description": "The plan's allowed amount and the member's estimated out-of-pocket cost.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "facility_id": {"type": "string"},
                        "allowed_amount": {"type": "number"},
                        "member_pays": {"type": "number"},
                        "deductible_remaining": {"type": "number"},
                    },
                },
            },
            {
                "name": "submit_prior_authorization",
                "description": "Request prior authorization for a procedure at a facility, based on a referral.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "member_id": {"type": "string"},
                        "facility_id": {"type": "string"},
                        "cpt_code": {"type": "string", "pattern": "^[0-9]{5}$"},
                        "referral_number": {"type": "string"},
                    },
                    "required": ["member_id", "facility_id", "cpt_code", "referral_number"],
                    "additionalProperties": False,
                },
                "output_description": "The authorization id, its decision and how long it is valid.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "authorization_id": {"type": "string"},
                        "status": {"type": "string", "enum": ["approved", "pending_review", "denied"]},
                        "valid_through": {"type": "string"},
                    },
                },
            },
            {
                "name": "find_urgent_care",
                "description": "List urgent-care clinics near a ZIP code with current wait times.",
                "parameters": {
                    "type": "object",
                    "properties": {"zip_code": {"type": "string"}},
                    "required": ["zip_code"],
                    "additionalProperties": False,
                },
                "output_description": "Urgent-care clinics with addresses and wait times.",
                "distractor": True,
            },
        ],
        "policy": [
            "submit_prior_authorization must NOT be submitted for an out-of-network facility; this plan does not cover out-of-network imaging.",
        ],
        "workflow": [
            "Ask for the member ID and referral number and read the referral.",
            "Ask for the ZIP code and find imaging facilities for the ordered procedure.",
            "Get cost estimates for the in-network facilities and compare them.",
            "Submit prior authorization for the cheapest in-network facility.",
            "Report the facility, expected cost and authorization id, explaining why the out-of-network option was skipped.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "read_referral", "description": "Read the referral.",
                 "check": {"kind": "tool_call", "tool": "get_referral", "arguments": {"referral_number": "REF-88213", "member_id": "BCX-771-20455"}}},
                {"id": "found_facilities", "description": "Searched facilities near 80302 for CPT 73721.",
                 "check": {"kind": "tool_call", "tool": "find_imaging_facilities", "arguments": {"zip_code": "80302", "cpt_code": "73721"}}},
                {"id": "estimated_boulder_valley", "description": "Got a cost estimate for Boulder Valley Imaging.",
                 "check": {"kind": "tool_call", "tool": "get_cost_estimate",
                           "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-117", "cpt_code": "73721"}}},
                {"id": "estimated_front_range", "description": "Got a cost estimate for Front Range Hospital Radiology.",
                 "check": {"kind": "tool_call", "tool": "get_cost_estimate",
                           "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-131", "cpt_code": "73721"}}},
                {"id": "submitted_auth", "description": "Requested prior authorization at Boulder Valley Imaging.",
                 "check": {"kind": "tool_call", "tool": "submit_prior_authorization",
                           "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-117", "cpt_code": "73721",
                                         "referral_number": "REF-88213"}}},
                {"id": "told_auth", "description": "Gave the authorization id.",
                 "check": {"kind": "answer_contains", "values": ["PA-2025-55871"]}},
            ],
            "required_interactions": [
                {"id": "asked_member_id", "description": "Asked for the member ID before reading the referral.",
                 "check": {"kind": "fact_revealed", "fact": "member_id", "before_tool": "get_referral"}},
                {"id": "asked_referral", "description": "Asked for the referral number before reading it.",
                 "check": {"kind": "fact_revealed", "fact": "referral_number", "before_tool": "get_referral"}},
                {"id": "asked_zip", "description": "Asked for the ZIP code before searching facilities.",
                 "check": {"kind": "fact_revealed", "fact": "zip_code", "before_tool": "find_imaging_facilities"}},
            ],
            "forbidden": [
                {"id": "auth_out_of_network", "description": "Requested authorization at the out-of-network Flatirons Open MRI.",
                 "check": {"kind": "tool_call", "tool": "submit_prior_authorization", "arguments": {"facility_id": "IMG-104"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_referral", "arguments": {"referral_number": "REF-88213", "member_id": "BCX-771-20455"},
             "response": {"referral_number": "REF-88213", "cpt_code": "73721",
                          "description": "MRI, lower-extremity joint (knee), without contrast", "diagnosis_code": "S83.241A",
                          "ordering_provider": "Dr. Sam Whitaker, Boulder Orthopedics", "valid_through": "2025-08-31"}},
            {"tool": "find_imaging_facilities", "arguments": {"zip_code": "80302", "cpt_code": "73721", "radius_miles": 15},
             "response": {"facilities": [
                 {"facility_id": "IMG-104", "name": "Flatirons Open MRI", "distance_miles": 2.3, "network": "out_of_network"},
                 {"facility_id": "IMG-117", "name": "Boulder Valley Imaging", "distance_miles": 4.1, "network": "in_network"},
                 {"facility_id": "IMG-131", "name": "Front Range Hospital Radiology", "distance_miles": 6.8, "network": "in_network"},
             ]}},
            {"tool": "get_cost_estimate", "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-117", "cpt_code": "73721"},
             "response": {"facility_id": "IMG-117", "allowed_amount": 640.0, "member_pays": 640.0, "deductible_remaining": 2100.0}},
            {"tool": "get_cost_estimate", "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-131", "cpt_code": "73721"},
             "response": {"facility_id": "IMG-131", "allowed_amount": 1850.0, "member_pays": 1850.0, "deductible_remaining": 2100.0}},
            {"tool": "submit_prior_authorization",
             "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-117", "cpt_code": "73721", "referral_number": "REF-88213"},
             "response": {"authorization_id": "PA-2025-55871", "status": "approved", "valid_through": "2025-08-31"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Glad to help. What is your member ID, and the referral number on your doctor's order?"},
            {"kind": "tool_call", "tool": "get_referral", "arguments": {"referral_number": "REF-88213", "member_id": "BCX-771-20455"}},
            {"kind": "ask_user", "message": "Your doctor ordered a knee MRI without contrast (CPT 73721). What ZIP code should I search near?"},
            {"kind": "tool_call", "tool": "find_imaging_facilities", "arguments": {"zip_code": "80302", "cpt_code": "73721", "radius_miles": 15}},
            {"kind": "tool_call", "tool": "get_cost_estimate", "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-117", "cpt_code": "73721"}},
            {"kind": "tool_call", "tool": "get_cost_estimate", "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-131", "cpt_code": "73721"}},
            {"kind": "tool_call", "tool": "submit_prior_authorization",
             "arguments": {"member_id": "BCX-771-20455", "facility_id": "IMG-117", "cpt_code": "73721", "referral_number": "REF-88213"}},
            {"kind": "answer", "content": (
                "Boulder Valley Imaging (4.1 miles) is your cheapest covered option: about $640 out of pocket, versus $1,850 at "
                "Front Range Hospital Radiology. Prior authorization PA-2025-55871 is approved through 2025-08-31. "
                "Flatirons Open MRI is out of network, and your plan doesn't cover out-of-network imaging, so I didn't use it."
            )},
        ],
    },
]
