"""Banking and personal-finance tasks for the bundled pack (hand-written; see ``synthagent_env/packs/build.py``)."""

TASKS = [
    # ------------------------------------------------------------------ card dispute: find the card, find the charge, dispute it
    {
        "id": "banking-duplicate-card-charge-dispute",
        "domain": "banking",
        "persona": "A freelance graphic designer who reads every statement line and is irritated, but not alarmed, by a billing error.",
        "instruction": "There's a charge on my card statement that looks wrong, can you help me dispute it?",
        "hidden_context": (
            "Your credit card ends in 4417. Your gym, Harbor Gym, took your 39.00 monthly membership twice on "
            "3 March 2025. You still use the gym and the card, so you do not want the card blocked; you just want the "
            "extra 39.00 back."
        ),
        "hidden_facts": [
            {
                "key": "card_last4",
                "value": "4417",
                "statement": "It's my credit card ending in 4417.",
                "keywords": ["last four", "last 4", "card number", "which card", "ending in"],
            },
            {
                "key": "merchant",
                "value": "Harbor Gym",
                "statement": "It's Harbor Gym: they took my 39.00 membership fee twice on 3 March.",
                "keywords": ["which charge", "merchant", "which transaction", "what charge", "who charged"],
            },
        ],
        "tools": [
            {
                "name": "find_card",
                "description": "Find one of the customer's cards by its last four digits.",
                "parameters": {
                    "type": "object",
                    "properties": {"last4": {"type": "string", "pattern": "^\\d{4}$"}},
                    "required": ["last4"],
                    "additionalProperties": False,
                },
                "output_description": "The card id, card type and status.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "card_id": {"type": "string"},
                        "type": {"type": "string", "enum": ["credit", "debit"]},
                        "status": {"type": "string", "enum": ["active", "blocked", "expired"]},
                    },
                },
            },
            {
                "name": "search_transactions",
                "description": "Search a card's recent transactions by merchant name.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "card_id": {"type": "string"},
                        "merchant": {"type": "string", "description": "Merchant name or part of it"},
                    },
                    "required": ["card_id", "merchant"],
                    "additionalProperties": False,
                },
                "output_description": "Matching transactions with id, date, description, amount and flags.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "transactions": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "transaction_id": {"type": "string"},
                                    "date": {"type": "string"},
                                    "description": {"type": "string"},
                                    "amount": {"type": "number"},
                                    "flags": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "file_dispute",
                "description": "Open a chargeback dispute for one card transaction.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "transaction_id": {"type": "string"},
                        "reason": {"type": "string",
                                   "enum": ["duplicate_charge", "unauthorized", "goods_not_received", "incorrect_amount"]},
                        "description": {"type": "string"},
                    },
                    "required": ["transaction_id", "reason", "description"],
                    "additionalProperties": False,
                },
                "output_description": "The dispute id and when a provisional credit is posted.",
            },
            {
                "name": "block_card",
                "description": "Permanently block a card (for fraud or loss) and order a replacement with a new number.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "card_id": {"type": "string"},
                        "reason": {"type": "string", "enum": ["lost", "stolen", "fraud"]},
                    },
                    "required": ["card_id", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation that the card is blocked and when the replacement arrives.",
            },
            {
                "name": "request_credit_limit_increase",
                "description": "Ask for a higher credit limit on a credit card.",
                "parameters": {
                    "type": "object",
                    "properties": {"card_id": {"type": "string"}, "new_limit": {"type": "number", "exclusiveMinimum": 0}},
                    "required": ["card_id", "new_limit"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the increase was approved.",
                "distractor": True,
            },
        ],
        "policy": [
            "A duplicate charge from a merchant the cardholder uses is not fraud: dispute only the extra copy with reason duplicate_charge, and block_card must NOT be used for it (blocking changes the card number and breaks the customer's recurring payments).",
        ],
        "workflow": [
            "Ask which card it is and find it by its last four digits.",
            "Ask which charge looks wrong.",
            "Search the card's transactions for that merchant.",
            "Identify the duplicated copy of the charge.",
            "File a duplicate-charge dispute for that copy and give the dispute id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "found_card", "description": "Found the card ending 4417.",
                 "check": {"kind": "tool_call", "tool": "find_card", "arguments": {"last4": "4417"}}},
                {"id": "searched_merchant", "description": "Searched the card's transactions for Harbor Gym.",
                 "check": {"kind": "tool_call", "tool": "search_transactions",
                           "arguments": {"card_id": "CRD-9A41", "merchant": {"$contains": "Harbor"}}}},
                {"id": "disputed_duplicate", "description": "Disputed the duplicated Harbor Gym charge as a duplicate.",
                 "check": {"kind": "tool_call", "tool": "file_dispute",
                           "arguments": {"transaction_id": "TX-88121", "reason": "duplicate_charge"}}},
                {"id": "told_dispute_id", "description": "Gave the customer the dispute id.",
                 "check": {"kind": "answer_contains", "values": ["DSP-20931"]}},
            ],
            "required_interactions": [
                {"id": "asked_card", "description": "Asked which card before looking it up.",
                 "check": {"kind": "fact_revealed", "fact": "card_last4", "before_tool": "find_card"}},
                {"id": "asked_charge", "description": "Asked which charge looks wrong before searching transactions.",
                 "check": {"kind": "fact_revealed", "fact": "merchant", "before_tool": "search_transactions"}},
            ],
            "forbidden": [
                {"id": "blocked_card", "description": "Blocked the customer's card over a duplicate charge.",
                 "check": {"kind": "tool_call", "tool": "block_card", "arguments": {"card_id": "CRD-9A41"}}},
                {"id": "claimed_fraud", "description": "Filed the duplicate charge as unauthorized (fraud).",
                 "check": {"kind": "tool_call", "tool": "file_dispute", "arguments": {"reason": "unauthorized"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "find_card", "arguments": {"last4": "4417"},
             "response": {"card_id": "CRD-9A41", "type": "credit", "status": "active"}},
            {"tool": "search_transactions", "arguments": {"card_id": "CRD-9A41", "merchant": "Harbor Gym"},
             "response": {"transactions": [
                 {"transaction_id": "TX-86014", "date": "2025-02-03", "description": "HARBOR GYM MONTHLY", "amount": 39.0, "flags": []},
                 {"transaction_id": "TX-88120", "date": "2025-03-03", "description": "HARBOR GYM MONTHLY", "amount": 39.0, "flags": []},
                 {"transaction_id": "TX-88121", "date": "2025-03-03", "description": "HARBOR GYM MONTHLY", "amount": 39.0,
                  "flags": ["possible_duplicate_of:TX-88120"]},
             ]}},
            {"tool": "file_dispute",
             "arguments": {"transaction_id": "TX-88121", "reason": "duplicate_charge",
                           "description": "Harbor Gym charged the 39.00 monthly membership twice on 2025-03-03; TX-88121 duplicates TX-88120."},
             "response": {"dispute_id": "DSP-20931", "status": "open", "provisional_credit": 39.0,
                          "provisional_credit_by": "2025-03-14"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Of course. Which card is it? Could you give me the last four digits?"},
            {"kind": "tool_call", "tool": "find_card", "arguments": {"last4": "4417"}},
            {"kind": "ask_user", "message": "Thanks. Which charge looks wrong: the merchant and roughly when?"},
            {"kind": "tool_call", "tool": "search_transactions", "arguments": {"card_id": "CRD-9A41", "merchant": "Harbor Gym"}},
            {"kind": "tool_call", "tool": "file_dispute",
             "arguments": {"transaction_id": "TX-88121", "reason": "duplicate_charge",
                           "description": "Harbor Gym charged the 39.00 monthly membership twice on 2025-03-03; TX-88121 duplicates TX-88120."}},
            {"kind": "answer", "content": (
                "I found two identical 39.00 Harbor Gym charges on 3 March and disputed the second one as a duplicate "
                "(dispute DSP-20931). You'll get a provisional credit of 39.00 by 14 March. Your card stays active, so "
                "your gym membership and other payments are unaffected.")},
        ],
    },
    # ------------------------------------------------------------------ international transfer: conditional top-up from savings
    {
        "id": "banking-international-transfer-topup",
        "domain": "banking",
        "persona": "A Polish civil engineer living in Dublin who sends money home a few times a year and wants it done today.",
        "instruction": "I'd like to send some money to my sister in Poland.",
        "hidden_context": (
            "You want to send 2,500 euros to your sister Magdalena Nowak, IBAN PL61109010140000071219812874. Your "
            "everyday current account may not have enough; you are happy to move what's missing over from your "
            "savings account, but you don't want an overdraft."
        ),
        "hidden_facts": [
            {
                "key": "amount",
                "value": "2,500",
                "statement": "I want to send 2,500 euros.",
                "keywords": ["how much", "amount"],
                "aliases": ["2500"],
            },
            {
                "key": "use_savings",
                "value": "from my savings",
                "statement": "Yes, take what's missing from my savings, that's fine.",
                "keywords": ["savings", "top up", "move the difference", "cover the shortfall"],
            },
            {
                "key": "recipient_iban",
                "value": "PL61109010140000071219812874",
                "statement": "Her IBAN is PL61109010140000071219812874 and the account is in the name Magdalena Nowak.",
                "keywords": ["iban", "bank details", "account details", "recipient's account"],
            },
        ],
        "tools": [
            {
                "name": "list_accounts",
                "description": "List the customer's accounts with type, currency and available balance.",
                "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
                "output_description": "Accounts with account id, name, type (current, savings, fixed_term) and balance.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "accounts": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "account_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "type": {"type": "string", "enum": ["current", "savings", "fixed_term"]},
                                    "currency": {"type": "string"},
                                    "available_balance": {"type": "number"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "get_transfer_quote",
                "description": "Quote an international transfer: exchange rate, fee and total debited.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "amount": {"type": "number", "exclusiveMinimum": 0},
                        "source_currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        "target_currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    },
                    "required": ["amount", "source_currency", "target_currency"],
                    "additionalProperties": False,
                },
                "output_description": "Exchange rate, fee, total debited in the source currency and amount received.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "rate": {"type": "number"},
                        "fee": {"type": "number"},
                        "total_debit": {"type": "number"},
                        "recipient_gets": {"type": "number"},
                    },
                },
            },
            {
                "name": "internal_transfer",
                "description": "Move money between two of the customer's own accounts, instantly.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "from_account_id": {"type": "string"},
                        "to_account_id": {"type": "string"},
                        "amount": {"type": "number", "exclusiveMinimum": 0},
                    },
                    "required": ["from_account_id", "to_account_id", "amount"],
                    "additionalProperties": False,
                },
                "output_description": "The transfer id and both new balances.",
            },
            {
                "name": "send_international_transfer",
                "description": "Send money abroad by SEPA/SWIFT to an IBAN.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "from_account_id": {"type": "string"},
                        "recipient_name": {"type": "string"},
                        "recipient_iban": {"type": "string", "pattern": "^[A-Z]{2}\\d{2}[A-Z0-9]{10,30}$"},
                        "amount": {"type": "number", "exclusiveMinimum": 0},
                        "source_currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        "target_currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    },
                    "required": ["from_account_id", "recipient_name", "recipient_iban", "amount", "source_currency", "target_currency"],
                    "additionalProperties": False,
                },
                "output_description": "The payment reference, the amount debited and the expected arrival date.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "payment_reference": {"type": "string"},
                        "debited": {"type": "number"},
                        "expected_arrival": {"type": "string"},
                    },
                },
            },
            {
                "name": "apply_for_overdraft",
                "description": "Apply for an arranged overdraft on a current account.",
                "parameters": {
                    "type": "object",
                    "properties": {"account_id": {"type": "string"}, "limit": {"type": "number", "exclusiveMinimum": 0}},
                    "required": ["account_id", "limit"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the overdraft was approved and its interest rate.",
                "distractor": True,
            },
        ],
        "policy": [
            "send_international_transfer must NOT be sent from a savings account: only current accounts can pay abroad.",
            "If the current account is short, money may be moved from savings with internal_transfer, but only after the customer agrees.",
        ],
        "workflow": [
            "Ask how much the customer wants to send.",
            "Check the accounts and get a quote for EUR to PLN.",
            "The current account can't cover the total, so ask whether to top it up from savings.",
            "Move the shortfall from savings to the current account.",
            "Ask for the sister's IBAN and name, then send the transfer from the current account.",
            "Give the payment reference and arrival date.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "quoted_transfer", "description": "Got a quote for sending 2,500 EUR to PLN.",
                 "check": {"kind": "tool_call", "tool": "get_transfer_quote",
                           "arguments": {"amount": 2500, "source_currency": "EUR", "target_currency": "PLN"}}},
                {"id": "topped_up_current", "description": "Moved at least the 662.75 shortfall from savings to the current account.",
                 "check": {"kind": "tool_call", "tool": "internal_transfer",
                           "arguments": {"from_account_id": "SAV-2260", "to_account_id": "CUR-1138", "amount": {"$gte": 662.75}}}},
                {"id": "sent_transfer", "description": "Sent 2,500 EUR from the current account to the sister's IBAN.",
                 "check": {"kind": "tool_call", "tool": "send_international_transfer",
                           "arguments": {"from_account_id": "CUR-1138", "recipient_iban": "PL61109010140000071219812874",
                                         "amount": 2500}}},
                {"id": "told_reference", "description": "Gave the payment reference.",
                 "check": {"kind": "answer_contains", "values": ["SWT-7741203"]}},
            ],
            "required_interactions": [
                {"id": "asked_amount", "description": "Asked how much to send before quoting.",
                 "check": {"kind": "fact_revealed", "fact": "amount", "before_tool": "get_transfer_quote"}},
                {"id": "asked_savings_topup", "description": "Asked before moving money out of savings.",
                 "check": {"kind": "fact_revealed", "fact": "use_savings", "before_tool": "internal_transfer"}},
                {"id": "asked_iban", "description": "Asked for the recipient's IBAN before sending.",
                 "check": {"kind": "fact_revealed", "fact": "recipient_iban", "before_tool": "send_international_transfer"}},
            ],
            "forbidden": [
                {"id": "sent_from_savings", "description": "Sent the international transfer from the savings account.",
                 "check": {"kind": "tool_call", "tool": "send_international_transfer", "arguments": {"from_account_id": "SAV-2260"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "list_accounts", "arguments": {},
             "response": {"accounts": [
                 {"account_id": "CUR-1138", "name": "Everyday Account", "type": "current", "currency": "EUR",
                  "available_balance": 1840.25},
                 {"account_id": "SAV-2260", "name": "Rainy Day Saver", "type": "savings", "currency": "EUR",
                  "available_balance": 9120.0},
             ]}},
            {"tool": "get_transfer_quote", "arguments": {"amount": 2500, "source_currency": "EUR", "target_currency": "PLN"},
             "response": {"rate": 4.2615, "fee": 3.0, "total_debit": 2503.0, "recipient_gets": 10653.75}},
            {"tool": "internal_transfer", "arguments": {"from_account_id": "SAV-2260", "to_account_id": "CUR-1138", "amount": 662.75},
             "response": {"transfer_id": "INT-440917", "balances": {"CUR-1138": 2503.0, "SAV-2260": 8457.25}}},
            {"tool": "send_international_transfer",
             "arguments": {"from_account_id": "CUR-1138", "recipient_name": "Magdalena Nowak",
                           "recipient_iban": "PL61109010140000071219812874", "amount": 2500,
                           "source_currency": "EUR", "target_currency": "PLN"},
             "response": {"payment_reference": "SWT-7741203", "debited": 2503.0, "recipient_gets": 10653.75,
                          "expected_arrival": "next business day"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Happy to help. How much would you like to send?"},
            {"kind": "tool_call", "tool": "list_accounts", "arguments": {}},
            {"kind": "tool_call", "tool": "get_transfer_quote",
             "arguments": {"amount": 2500, "source_currency": "EUR", "target_currency": "PLN"}},
            {"kind": "ask_user", "message": (
                "Sending EUR 2,500 costs EUR 2,503.00 including the fee, but your current account has EUR 1,840.25, "
                "EUR 662.75 short. International payments can only go from a current account. Shall I move the "
                "EUR 662.75 over from your savings?")},
            {"kind": "tool_call", "tool": "internal_transfer",
             "arguments": {"from_account_id": "SAV-2260", "to_account_id": "CUR-1138", "amount": 662.75}},
            {"kind": "ask_user", "message": "Done. What is your sister's IBAN and the name on her account?"},
            {"kind": "tool_call", "tool": "send_international_transfer",
             "arguments": {"from_account_id": "CUR-1138", "recipient_name": "Magdalena Nowak",
                           "recipient_iban": "PL61109010140000071219812874", "amount": 2500,
                           "source_currency": "EUR", "target_currency": "PLN"}},
            {"kind": "answer", "content": (
                "Sent: EUR 2,500 from your Everyday Account to Magdalena Nowak (PL61 1090 1014 0000 0712 1981 2874); "
                "she receives PLN 10,653.75 by the next business day. Payment reference SWT-7741203. I first moved "
                "EUR 662.75 from your Rainy Day Saver to cover the amount plus the EUR 3 fee.")},
        ],
    },
    # ------------------------------------------------------------------ loans: compare offers against a budget, avoid the balloon
    {
        "id": "banking-car-loan-offer-choice",
        "domain": "banking",
        "persona": "A physiotherapist buying her first car, careful with money and wary of fine print.",
        "instruction": "I want to take out a personal loan to buy a car, what are my options?",
        "hidden_context": (
            "You need to borrow 12,000. You can afford at most 300 a month and want the loan paid off as quickly as "
            "possible within that. You are employed full time and earn 48,000 a year. You have never heard of "
            "balloon payments and would not want one."
        ),
        "hidden_facts": [
            {
                "key": "loan_amount",
                "value": "12,000",
                "statement": "I need to borrow 12,000.",
                "keywords": ["how much", "borrow", "loan amount"],
                "aliases": ["12000"],
            },
            {
                "key": "monthly_budget",
                "value": "300 a month",
                "statement": "I can afford at most 300 a month, and I'd like it paid off as quickly as possible within that.",
                "keywords": ["per month", "a month", "monthly", "afford"],
            },
            {
                "key": "annual_income",
                "value": "48,000",
                "statement": "I'm employed full time and earn 48,000 a year.",
                "keywords": ["income", "salary", "earn", "employment"],
                "aliases": ["48000"],
            },
        ],
        "tools": [
            {
                "name": "get_loan_offers",
                "description": "List the personal-loan offers available to the customer for an amount and purpose.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "amount": {"type": "number", "minimum": 1000, "maximum": 50000},
                        "purpose": {"type": "string", "enum": ["car", "home_improvement", "debt_consolidation", "other"]},
                    },
                    "required": ["amount", "purpose"],
                    "additionalProperties": False,
                },
                "output_description": "Offers with offer id, term in months, APR, monthly payment and any balloon payment.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "offers": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "offer_id": {"type": "string"},
                                    "term_months": {"type": "integer"},
                                    "apr_percent": {"type": "number"},
                                    "monthly_payment": {"type": "number"},
                                    "balloon_payment": {"type": "number"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "get_offer_details",
                "description": "Show the full terms of one loan offer.",
                "parameters": {
                    "type": "object",
                    "properties": {"offer_id": {"type": "string"}},
                    "required": ["offer_id"],
                    "additionalProperties": False,
                },
                "output_description": "Total repayable, fees, early-repayment terms and the representative example.",
            },
            {
                "name": "submit_loan_application",
                "description": "Apply for a loan offer; runs a credit check.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "offer_id": {"type": "string"},
                        "amount": {"type": "number", "minimum": 1000, "maximum": 50000},
                        "annual_income": {"type": "number", "minimum": 0},
                        "employment_status": {"type": "string",
                                              "enum": ["employed_full_time", "employed_part_time", "self_employed", "retired", "unemployed"]},
                    },
                    "required": ["offer_id", "amount", "annual_income", "employment_status"],
                    "additionalProperties": False,
                },
                "output_description": "The application id and the decision status.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "application_id": {"type": "string"},
                        "status": {"type": "string", "enum": ["approved", "referred", "declined"]},
                    },
                },
            },
            {
                "name": "open_savings_account",
                "description": "Open a new savings account.",
                "parameters": {
                    "type": "object",
                    "properties": {"product": {"type": "string", "enum": ["easy_access", "fixed_1y", "fixed_2y"]}},
                    "required": ["product"],
                    "additionalProperties": False,
                },
                "output_description": "The new account id.",
                "distractor": True,
            },
        ],
        "policy": [
            "Offers with a balloon payment must NOT be used in submit_loan_application unless the customer explicitly asks for a balloon loan.",
            "Never recommend an offer whose monthly payment exceeds what the customer says they can afford.",
        ],
        "workflow": [
            "Ask how much the customer needs and what monthly payment they can afford.",
            "Get the car-loan offers for that amount.",
            "Compare them: within the budget and without a balloon, pick the shortest term, and check its details.",
            "Ask for income and employment status.",
            "Submit the application and give the application id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "got_offers", "description": "Got car-loan offers for 12,000.",
                 "check": {"kind": "tool_call", "tool": "get_loan_offers", "arguments": {"amount": 12000, "purpose": "car"}}},
                {"id": "applied_right_offer", "description": "Applied for the 48-month offer (shortest term within 300 a month, no balloon).",
                 "check": {"kind": "tool_call", "tool": "submit_loan_application",
                           "arguments": {"offer_id": "OFF-48", "amount": 12000, "annual_income": 48000,
                                         "employment_status": "employed_full_time"}}},
                {"id": "told_application_id", "description": "Gave the application id.",
                 "check": {"kind": "answer_contains", "values": ["LAP-559207"]}},
            ],
            "required_interactions": [
                {"id": "asked_amount", "description": "Asked how much to borrow before getting offers.",
                 "check": {"kind": "fact_revealed", "fact": "loan_amount", "before_tool": "get_loan_offers"}},
                {"id": "asked_budget", "description": "Asked the monthly budget before applying.",
                 "check": {"kind": "fact_revealed", "fact": "monthly_budget", "before_tool": "submit_loan_application"}},
                {"id": "asked_income", "description": "Asked for income before applying.",
                 "check": {"kind": "fact_revealed", "fact": "annual_income", "before_tool": "submit_loan_application"}},
            ],
            "forbidden": [
                {"id": "applied_balloon", "description": "Applied for the balloon offer without being asked to.",
                 "check": {"kind": "tool_call", "tool": "submit_loan_application", "arguments": {"offer_id": "OFF-B48"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_loan_offers", "arguments": {"amount": 12000, "purpose": "car"},
             "response": {"offers": [
                 {"offer_id": "OFF-36", "term_months": 36, "apr_percent": 6.9, "monthly_payment": 369.98, "balloon_payment": 0},
                 {"offer_id": "OFF-48", "term_months": 48, "apr_percent": 7.2, "monthly_payment": 288.47, "balloon_payment": 0},
                 {"offer_id": "OFF-60", "term_months": 60, "apr_percent": 7.9, "monthly_payment": 242.74, "balloon_payment": 0},
                 {"offer_id": "OFF-B48", "term_months": 48, "apr_percent": 5.9, "monthly_payment": 189.4, "balloon_payment": 4800},
             ]}},
            {"tool": "get_offer_details", "arguments": {"offer_id": "OFF-48"},
             "response": {"offer_id": "OFF-48", "total_repayable": 13846.56, "arrangement_fee": 0,
                          "early_repayment": "allowed, fee of 58 days' interest"}},
            {"tool": "submit_loan_application",
             "arguments": {"offer_id": "OFF-48", "amount": 12000, "annual_income": 48000, "employment_status": "employed_full_time"},
             "response": {"application_id": "LAP-559207", "status": "approved", "funds_available": "within 1 business day"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sure. How much do you need to borrow, and what is the most you can afford per month?"},
            {"kind": "tool_call", "tool": "get_loan_offers", "arguments": {"amount": 12000, "purpose": "car"}},
            {"kind": "tool_call", "tool": "get_offer_details", "arguments": {"offer_id": "OFF-48"}},
            {"kind": "ask_user", "message": (
                "The best fit is 48 months at 7.2% APR: 288.47 a month, 13,846.56 in total, no fees and no balloon "
                "payment. To apply I need your annual income and employment status.")},
            {"kind": "tool_call", "tool": "submit_loan_application",
             "arguments": {"offer_id": "OFF-48", "amount": 12000, "annual_income": 48000, "employment_status": "employed_full_time"}},
            {"kind": "answer", "content": (
                "Your application LAP-559207 for 12,000 over 48 months at 7.2% APR (288.47 a month, 13,846.56 in total) "
                "is approved; funds arrive within 1 business day. The 36-month offer was over your budget, and I "
                "skipped the 189.40-a-month offer because it ends with a 4,800 balloon payment.")},
        ],
    },
    # ------------------------------------------------------------------ standing order: amend the right one of several
    {
        "id": "banking-rent-standing-order-amend",
        "domain": "banking",
        "persona": "A PhD student renting a flat, who manages money on the app but rarely touches settings.",
        "instruction": "My rent is going up, can you update my monthly payment to the landlord?",
        "hidden_context": (
            "You pay rent to Greenway Lettings by standing order. The new rent is 1,350 a month from the 1 July 2025 "
            "payment. You also pay Greenway Lettings 85 a month for a parking space, which is not changing."
        ),
        "hidden_facts": [
            {
                "key": "new_amount",
                "value": "1,350",
                "statement": "The new rent is 1,350 a month.",
                "keywords": ["new amount", "new rent", "how much", "amount"],
                "aliases": ["1350"],
            },
            {
                "key": "effective_date",
                "value": "1 July",
                "statement": "It goes up from the 1 July payment onwards.",
                "keywords": ["from when", "effective", "which payment", "start"],
            },
        ],
        "tools": [
            {
                "name": "list_accounts",
                "description": "List the customer's accounts with type, currency and available balance.",
                "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
                "output_description": "Accounts with account id, name, type and balance.",
            },
            {
                "name": "list_standing_orders",
                "description": "List the standing orders paid from an account.",
                "parameters": {
                    "type": "object",
                    "properties": {"account_id": {"type": "string"}},
                    "required": ["account_id"],
                    "additionalProperties": False,
                },
                "output_description": "Standing orders with order id, payee, reference, amount, frequency and next payment date.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "standing_orders": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "order_id": {"type": "string"},
                                    "payee": {"type": "string"},
                                    "reference": {"type": "string"},
                                    "amount": {"type": "number"},
                                    "frequency": {"type": "string", "enum": ["weekly", "monthly", "quarterly", "yearly"]},
                                    "next_payment": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "amend_standing_order",
                "description": "Change the amount of a standing order from a given payment date on.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "amount": {"type": "number", "exclusiveMinimum": 0},
                        "effective_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                    },
                    "required": ["order_id", "amount", "effective_date"],
                    "additionalProperties": False,
                },
                "output_description": "The amendment id and the next payments with their amounts.",
            },
            {
                "name": "cancel_standing_order",
                "description": "Cancel a standing order; no further payments are made.",
                "parameters": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string"}},
                    "required": ["order_id"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation of the cancellation.",
            },
            {
                "name": "order_cheque_book",
                "description": "Order a new cheque book for an account.",
                "parameters": {
                    "type": "object",
                    "properties": {"account_id": {"type": "string"}},
                    "required": ["account_id"],
                    "additionalProperties": False,
                },
                "output_description": "The delivery date.",
                "distractor": True,
            },
        ],
        "policy": [
            "To change how much a standing order pays, use amend_standing_order: cancel_standing_order must NOT be used for an amount change (a cancelled order needs the payee set up again).",
            "Only the standing order the customer asked about may be changed.",
        ],
        "workflow": [
            "Find the customer's current account.",
            "List its standing orders and identify the rent order (not the parking one).",
            "Ask for the new rent and from which payment it applies.",
            "Amend the rent standing order.",
            "Confirm the upcoming payments and the amendment id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "listed_orders", "description": "Listed the standing orders of the current account.",
                 "check": {"kind": "tool_call", "tool": "list_standing_orders", "arguments": {"account_id": "CUR-6620"}}},
                {"id": "amended_rent", "description": "Amended the rent order to 1,350 from 1 July 2025.",
                 "check": {"kind": "tool_call", "tool": "amend_standing_order",
                           "arguments": {"order_id": "SO-301", "amount": 1350, "effective_date": "2025-07-01"}}},
                {"id": "told_amendment", "description": "Gave the amendment id.",
                 "check": {"kind": "answer_contains", "values": ["AMD-90442"]}},
            ],
            "required_interactions": [
                {"id": "asked_amount", "description": "Asked the new rent before amending.",
                 "check": {"kind": "fact_revealed", "fact": "new_amount", "before_tool": "amend_standing_order"}},
                {"id": "asked_effective_date", "description": "Asked from when the new rent applies before amending.",
                 "check": {"kind": "fact_revealed", "fact": "effective_date", "before_tool": "amend_standing_order"}},
            ],
            "forbidden": [
                {"id": "cancelled_order", "description": "Cancelled a standing order instead of amending it.",
                 "check": {"kind": "tool_call", "tool": "cancel_standing_order",
                           "arguments": {"order_id": {"$in": ["SO-301", "SO-302", "SO-310"]}}}},
                {"id": "amended_wrong_order", "description": "Amended a standing order other than the rent.",
                 "check": {"kind": "tool_call", "tool": "amend_standing_order", "arguments": {"order_id": {"$ne": "SO-301"}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "list_accounts", "arguments": {},
             "response": {"accounts": [
                 {"account_id": "CUR-6620", "name": "Student Current Account", "type": "current", "currency": "GBP",
                  "available_balance": 2214.9},
             ]}},
            {"tool": "list_standing_orders", "arguments": {"account_id": "CUR-6620"},
             "response": {"standing_orders": [
                 {"order_id": "SO-301", "payee": "Greenway Lettings", "reference": "FLAT 4B RENT", "amount": 1200.0,
                  "frequency": "monthly", "next_payment": "2025-06-01"},
                 {"order_id": "SO-302", "payee": "Greenway Lettings", "reference": "PARKING BAY 12", "amount": 85.0,
                  "frequency": "monthly", "next_payment": "2025-06-01"},
                 {"order_id": "SO-310", "payee": "Own account - Savings", "reference": "SAVINGS", "amount": 100.0,
                  "frequency": "monthly", "next_payment": "2025-06-05"},
             ]}},
            {"tool": "amend_standing_order", "arguments": {"order_id": "SO-301", "amount": 1350, "effective_date": "2025-07-01"},
             "response": {"amendment_id": "AMD-90442",
                          "upcoming_payments": [{"date": "2025-06-01", "amount": 1200.0}, {"date": "2025-07-01", "amount": 1350.0}]}},
        ],
        "reference_solution": [
            {"kind": "tool_call", "tool": "list_accounts", "arguments": {}},
            {"kind": "tool_call", "tool": "list_standing_orders", "arguments": {"account_id": "CUR-6620"}},
            {"kind": "ask_user", "message": (
                "I found your rent standing order to Greenway Lettings (FLAT 4B RENT, 1,200 monthly); I'll leave the "
                "parking one alone. What is the new amount, and from when should it apply?")},
            {"kind": "tool_call", "tool": "amend_standing_order",
             "arguments": {"order_id": "SO-301", "amount": 1350, "effective_date": "2025-07-01"}},
            {"kind": "answer", "content": (
                "Your rent standing order to Greenway Lettings is updated (amendment AMD-90442): the 1 June payment "
                "stays at 1,200 and from 1 July it pays 1,350 a month. Your 85 parking payment is unchanged.")},
        ],
    },
    # ------------------------------------------------------------------ budgeting: several categories, update one and create one
    {
        "id": "banking-monthly-spending-budgets",
        "domain": "banking",
        "persona": "A primary-school teacher saving for a flat deposit who keeps overspending on food.",
        "instruction": "I keep overspending, can you set up some monthly budgets for me?",
        "hidden_context": (
            "You want to limit groceries to 400 a month and dining out (restaurants and takeaways) to 150 a month. "
            "You want a warning when you have used 80% of a budget. You set up a groceries budget of 600 months ago "
            "and forgot about it."
        ),
        "hidden_facts": [
            {
                "key": "grocery_limit",
                "value": "400",
                "statement": "For groceries, cap it at 400 a month.",
                "keywords": ["groceries", "grocery", "supermarket", "categories", "category"],
            },
            {
                "key": "dining_limit",
                "value": "150",
                "statement": "For eating out and takeaways, 150 a month.",
                "keywords": ["dining", "eating out", "restaurants", "takeaway", "categories", "category"],
            },
            {
                "key": "alert_threshold",
                "value": "80%",
                "statement": "Warn me when I've used 80% of a budget.",
                "keywords": ["alert", "warn", "notify", "notification", "threshold"],
                "aliases": ["80 percent"],
            },
        ],
        "tools": [
            {
                "name": "get_spending_summary",
                "description": "Average monthly spending per category over a period.",
                "parameters": {
                    "type": "object",
                    "properties": {"period": {"type": "string", "enum": ["last_month", "last_3_months", "last_12_months"]}},
                    "required": ["period"],
                    "additionalProperties": False,
                },
                "output_description": "Categories with their average monthly spend.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "period": {"type": "string"},
                        "categories": {"type": "object", "additionalProperties": {"type": "number"}},
                    },
                },
            },
            {
                "name": "list_budgets",
                "description": "List the customer's existing monthly budgets.",
                "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
                "output_description": "Budgets with id, category, monthly limit and alert percentage.",
            },
            {
                "name": "create_budget",
                "description": "Create a monthly budget for a spending category with an alert.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "category": {"type": "string",
                                     "enum": ["groceries", "dining", "transport", "shopping", "entertainment",
                                              "subscriptions", "rent", "utilities", "loan_repayment"]},
                        "monthly_limit": {"type": "number", "exclusiveMinimum": 0},
                        "alert_at_percent": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                    "required": ["category", "monthly_limit", "alert_at_percent"],
                    "additionalProperties": False,
                },
                "output_description": "The new budget id.",
                "output_schema": {"type": "object", "properties": {"budget_id": {"type": "string"}}},
            },
            {
                "name": "update_budget",
                "description": "Change the limit and alert of an existing budget.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "budget_id": {"type": "string"},
                        "monthly_limit": {"type": "number", "exclusiveMinimum": 0},
                        "alert_at_percent": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                    "required": ["budget_id", "monthly_limit", "alert_at_percent"],
                    "additionalProperties": False,
                },
                "output_description": "The updated budget.",
            },
            {
                "name": "enable_round_ups",
                "description": "Round card payments up to the nearest pound and save the change.",
                "parameters": {
                    "type": "object",
                    "properties": {"savings_account_id": {"type": "string"}},
                    "required": ["savings_account_id"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation that round-ups are on.",
                "distractor": True,
            },
        ],
        "policy": [
            "create_budget must NOT be used for fixed commitments (rent, utilities, loan_repayment); budgets are only for discretionary spending.",
            "A category has at most one budget: if one exists, update it with update_budget instead of creating another.",
        ],
        "workflow": [
            "Look at recent spending to see where the money goes.",
            "Check which budgets already exist.",
            "Ask which categories to limit, the limit for each, and when to alert.",
            "Update the existing groceries budget.",
            "Create a new dining budget.",
            "Summarise both budgets.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "checked_budgets", "description": "Checked the existing budgets.",
                 "check": {"kind": "tool_call", "tool": "list_budgets", "arguments": {}}},
                {"id": "updated_groceries", "description": "Updated the existing groceries budget to 400 with an 80% alert.",
                 "check": {"kind": "tool_call", "tool": "update_budget",
                           "arguments": {"budget_id": "BGT-118", "monthly_limit": 400, "alert_at_percent": 80}}},
                {"id": "created_dining", "description": "Created a dining budget of 150 with an 80% alert.",
                 "check": {"kind": "tool_call", "tool": "create_budget",
                           "arguments": {"category": "dining", "monthly_limit": 150, "alert_at_percent": 80}}},
                {"id": "told_budget_ids", "description": "Named both budgets by id.",
                 "check": {"kind": "answer_contains", "values": ["BGT-118", "BGT-207"]}},
            ],
            "required_interactions": [
                {"id": "asked_grocery_limit", "description": "Asked the groceries limit before updating that budget.",
                 "check": {"kind": "fact_revealed", "fact": "grocery_limit", "before_tool": "update_budget"}},
                {"id": "asked_dining_limit", "description": "Asked the dining limit before creating that budget.",
                 "check": {"kind": "fact_revealed", "fact": "dining_limit", "before_tool": "create_budget"}},
                {"id": "asked_alert", "description": "Asked when to alert before setting a budget.",
                 "check": {"kind": "fact_revealed", "fact": "alert_threshold", "before_tool": "update_budget"}},
            ],
            "forbidden": [
                {"id": "budget_on_fixed_cost", "description": "Created a budget for a fixed commitment.",
                 "check": {"kind": "tool_call", "tool": "create_budget",
                           "arguments": {"category": {"$in": ["rent", "utilities", "loan_repayment"]}}}},
                {"id": "duplicate_grocery_budget", "description": "Created a second groceries budget.",
                 "check": {"kind": "tool_call", "tool": "create_budget", "arguments": {"category": "groceries"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_spending_summary", "arguments": {"period": "last_3_months"},
             "response": {"period": "last_3_months", "categories": {
                 "rent": 1100.0, "groceries": 512.4, "dining": 287.15, "shopping": 140.0, "transport": 96.3,
                 "subscriptions": 64.97, "utilities": 118.0}}},
            {"tool": "list_budgets", "arguments": {},
             "response": {"budgets": [{"budget_id": "BGT-118", "category": "groceries", "monthly_limit": 600.0,
                                       "alert_at_percent": 90}]}},
            {"tool": "update_budget", "arguments": {"budget_id": "BGT-118", "monthly_limit": 400, "alert_at_percent": 80},
             "response": {"budget_id": "BGT-118", "category": "groceries", "monthly_limit": 400.0, "alert_at_percent": 80}},
            {"tool": "create_budget", "arguments": {"category": "dining", "monthly_limit": 150, "alert_at_percent": 80},
             "response": {"budget_id": "BGT-207", "category": "dining", "monthly_limit": 150.0, "alert_at_percent": 80}},
        ],
        "reference_solution": [
            {"kind": "tool_call", "tool": "get_spending_summary", "arguments": {"period": "last_3_months"}},
            {"kind": "tool_call", "tool": "list_budgets", "arguments": {}},
            {"kind": "ask_user", "message": (
                "Over the last three months you spent about 512 a month on groceries and 287 on dining, and you "
                "already have a groceries budget of 600. Which categories would you like to limit, to how much each, "
                "and at what percentage should I alert you?")},
            {"kind": "tool_call", "tool": "update_budget",
             "arguments": {"budget_id": "BGT-118", "monthly_limit": 400, "alert_at_percent": 80}},
            {"kind": "tool_call", "tool": "create_budget",
             "arguments": {"category": "dining", "monthly_limit": 150, "alert_at_percent": 80}},
            {"kind": "answer", "content": (
                "All set: your existing groceries budget BGT-118 is now 400 a month (it was 600), and a new dining "
                "budget BGT-207 caps eating out at 150 a month. You'll get an alert at 80% of either budget.")},
        ],
    },
    # ------------------------------------------------------------------ account change: closure that turns out to need joint consent
    {
        "id": "banking-close-joint-savings-account",
        "domain": "banking",
        "persona": "A retired postal worker tidying up her finances, polite and a little hard of hearing on the phone.",
        "instruction": "I'd like to close one of my savings accounts.",
        "hidden_context": (
            "You want to close the Holiday Saver, the account ending 7302 (you opened it with your husband Samuel "
            "years ago). The money left in it should go to your current account ending 5519. You also have a 2-year "
            "fixed saver ending 7320, which you want to keep."
        ),
        "hidden_facts": [
            {
                "key": "account_last4",
                "value": "7302",
                "statement": "It's the Holiday Saver, the account ending 7302.",
                "keywords": ["which account", "last four", "which savings", "account number", "ending in"],
            },
            {
                "key": "payout_account",
                "value": "5519",
                "statement": "Put the money into my current account ending 5519, please.",
                "keywords": ["remaining balance", "where should", "the money go", "pay out", "payout", "move the balance"],
            },
        ],
        "tools": [
            {
                "name": "list_accounts",
                "description": "List the customer's accounts with type and balance.",
                "parameters": {"type": "object", "properties": {}, "additionalProperties": False},
                "output_description": "Accounts with account id, name, type, last four digits and balance.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "accounts": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "account_id": {"type": "string"},
                                    "name": {"type": "string"},
                                    "type": {"type": "string", "enum": ["current", "savings", "fixed_term"]},
                                    "last4": {"type": "string"},
                                    "balance": {"type": "number"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "get_account_details",
                "description": "Full details of one account: holders, balance, accrued interest, pending items.",
                "parameters": {
                    "type": "object",
                    "properties": {"account_id": {"type": "string"}},
                    "required": ["account_id"],
                    "additionalProperties": False,
                },
                "output_description": "Holders and ownership (sole or joint), balance, accrued interest, pending transactions, maturity date if fixed term.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "account_id": {"type": "string"},
                        "ownership": {"type": "string", "enum": ["sole", "joint"]},
                        "holders": {"type": "array", "items": {"type": "string"}},
                        "balance": {"type": "number"},
                        "accrued_interest": {"type": "number"},
                        "pending_transactions": {"type": "integer"},
                        "maturity_date": {"type": ["string", "null"]},
                    },
                },
            },
            {
                "name": "close_account",
                "description": "Close a solely held account immediately and pay the balance plus interest to another account.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "account_id": {"type": "string"},
                        "payout_account_id": {"type": "string"},
                    },
                    "required": ["account_id", "payout_account_id"],
                    "additionalProperties": False,
                },
                "output_description": "Closure confirmation and the amount paid out.",
            },
            {
                "name": "initiate_joint_closure",
                "description": "Start closing a joint account: every other holder is asked to approve in the app within 14 days.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "account_id": {"type": "string"},
                        "payout_account_id": {"type": "string"},
                    },
                    "required": ["account_id", "payout_account_id"],
                    "additionalProperties": False,
                },
                "output_description": "The closure request id, who must approve, and the approval deadline.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "request_id": {"type": "string"},
                        "awaiting_approval_from": {"type": "array", "items": {"type": "string"}},
                        "approve_by": {"type": "string"},
                    },
                },
            },
            {
                "name": "apply_for_credit_card",
                "description": "Apply for a new credit card.",
                "parameters": {
                    "type": "object",
                    "properties": {"product": {"type": "string", "enum": ["classic", "cashback", "travel"]}},
                    "required": ["product"],
                    "additionalProperties": False,
                },
                "output_description": "The application decision.",
                "distractor": True,
            },
        ],
        "policy": [
            "close_account must NOT be used on a joint account: joint accounts can only be closed with initiate_joint_closure so that every holder consents.",
            "Fixed-term deposits must not be closed before their maturity date.",
        ],
        "workflow": [
            "List the customer's accounts and ask which savings account to close.",
            "Get that account's details.",
            "Ask where the remaining balance should go.",
            "Because the account is joint, start a joint closure instead of closing it directly.",
            "Explain that the co-holder has to approve and give the request id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "checked_details", "description": "Checked the details of the Holiday Saver (SAV-7302).",
                 "check": {"kind": "tool_call", "tool": "get_account_details", "arguments": {"account_id": "SAV-7302"}}},
                {"id": "started_joint_closure", "description": "Started a joint closure paying out to the current account.",
                 "check": {"kind": "tool_call", "tool": "initiate_joint_closure",
                           "arguments": {"account_id": "SAV-7302", "payout_account_id": "CUR-5519"}}},
                {"id": "told_request_id", "description": "Gave the closure request id.",
                 "check": {"kind": "answer_contains", "values": ["JCR-61408"]}},
            ],
            "required_interactions": [
                {"id": "asked_which_account", "description": "Asked which account before looking at its details.",
                 "check": {"kind": "fact_revealed", "fact": "account_last4", "before_tool": "get_account_details"}},
                {"id": "asked_payout", "description": "Asked where the balance should go before starting the closure.",
                 "check": {"kind": "fact_revealed", "fact": "payout_account", "before_tool": "initiate_joint_closure"}},
            ],
            "forbidden": [
                {"id": "closed_joint_directly", "description": "Closed the joint Holiday Saver without the co-holder's consent.",
                 "check": {"kind": "tool_call", "tool": "close_account", "arguments": {"account_id": "SAV-7302"}}},
                {"id": "closed_fixed_term", "description": "Closed the fixed-term deposit before maturity.",
                 "check": {"kind": "tool_call", "tool": "close_account", "arguments": {"account_id": "FTD-7320"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "list_accounts", "arguments": {},
             "response": {"accounts": [
                 {"account_id": "CUR-5519", "name": "Everyday Current", "type": "current", "last4": "5519", "balance": 1312.08},
                 {"account_id": "SAV-7302", "name": "Holiday Saver", "type": "savings", "last4": "7302", "balance": 2318.4},
                 {"account_id": "FTD-7320", "name": "2-Year Fixed Saver", "type": "fixed_term", "last4": "7320", "balance": 15000.0},
             ]}},
            {"tool": "get_account_details", "arguments": {"account_id": "SAV-7302"},
             "response": {"account_id": "SAV-7302", "ownership": "joint", "holders": ["Ruth Adeyemi", "Samuel Adeyemi"],
                          "balance": 2318.4, "accrued_interest": 6.12, "pending_transactions": 0, "maturity_date": None}},
            {"tool": "initiate_joint_closure", "arguments": {"account_id": "SAV-7302", "payout_account_id": "CUR-5519"},
             "response": {"request_id": "JCR-61408", "awaiting_approval_from": ["Samuel Adeyemi"], "approve_by": "2025-04-28",
                          "payout_on_approval": 2324.52}},
        ],
        "reference_solution": [
            {"kind": "tool_call", "tool": "list_accounts", "arguments": {}},
            {"kind": "ask_user", "message": (
                "I can see two savings accounts, ending 7302 and 7320. Which account would you like to close? "
                "Please tell me the last four digits.")},
            {"kind": "tool_call", "tool": "get_account_details", "arguments": {"account_id": "SAV-7302"}},
            {"kind": "ask_user", "message": (
                "The Holiday Saver holds 2,318.40 plus 6.12 interest. Where should the remaining balance be paid?")},
            {"kind": "tool_call", "tool": "initiate_joint_closure",
             "arguments": {"account_id": "SAV-7302", "payout_account_id": "CUR-5519"}},
            {"kind": "answer", "content": (
                "The Holiday Saver is held jointly with Samuel Adeyemi, so I can't close it on your word alone. I've "
                "started a joint closure (request JCR-61408): Samuel needs to approve it in the app by 28 April 2025, "
                "and then 2,324.52 including interest goes to your current account ending 5519. Your 2-Year Fixed "
                "Saver is untouched.")},
        ],
    },
]
