"""Travel domain tasks for the bundled pack (hand-written; see ``synthagent_env/packs/build.py``)."""

TASKS = [
    # ------------------------------------------------------------------ flights: compare options under a deadline
    {
        "id": "travel-cancelled-flight-rebook",
        "domain": "travel",
        "persona": "A retired schoolteacher flying to her daughter's wedding, anxious and not confident with airline jargon.",
        "instruction": "The airline cancelled my flight and I need to get on another one, can you help?",
        "hidden_context": (
            "You are Margaret Doyle; your booking reference is KX4Q9T: flight NA 318 from Boston to Dublin on 12 September 2025 was cancelled. "
            "You must land in Dublin by 6 pm on 13 September for your daughter's rehearsal dinner; after that the "
            "flight is useless to you. You do not mind a connection. You think the airline, not you, should pay "
            "for any difference in fare because they cancelled."
        ),
        "hidden_facts": [
            {
                "key": "booking_reference",
                "value": "KX4Q9T",
                "statement": "My booking reference is KX4Q9T.",
                "keywords": ["booking reference", "confirmation code", "record locator", "booking code", "reference number"],
            },
            {
                "key": "last_name",
                "value": "Doyle",
                "statement": "My last name is Doyle, Margaret Doyle.",
                "keywords": ["last name", "surname", "family name"],
            },
            {
                "key": "arrival_deadline",
                "value": "6 pm",
                "statement": "I have to land in Dublin by 6 pm on 13 September at the latest, for my daughter's rehearsal dinner.",
                "keywords": ["arrive", "arrival", "land in", "landing", "need to be there", "deadline", "at the latest"],
                "aliases": ["18:00"],
            },
        ],
        "tools": [
            {
                "name": "get_booking",
                "description": "Look up a flight booking by its six-character booking reference and the passenger's last name.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "booking_reference": {"type": "string", "pattern": "^[A-Z0-9]{6}$",
                                              "description": "Six-character booking reference, e.g. AB12CD"},
                        "last_name": {"type": "string", "description": "Passenger's last name as on the booking"},
                    },
                    "required": ["booking_reference", "last_name"],
                    "additionalProperties": False,
                },
                "output_description": "The passenger, the booked flights with their status, and the cancellation reason if any.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "booking_reference": {"type": "string"},
                        "passenger": {"type": "string"},
                        "flights": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "flight": {"type": "string"},
                                    "route": {"type": "string"},
                                    "departure": {"type": "string"},
                                    "status": {"type": "string", "enum": ["scheduled", "delayed", "cancelled"]},
                                },
                            },
                        },
                        "cancellation_reason": {"type": ["string", "null"]},
                    },
                },
            },
            {
                "name": "search_alternatives",
                "description": "List the flights a disrupted booking can be moved to, with arrival times and fare differences.",
                "parameters": {
                    "type": "object",
                    "properties": {"booking_reference": {"type": "string", "pattern": "^[A-Z0-9]{6}$"}},
                    "required": ["booking_reference"],
                    "additionalProperties": False,
                },
                "output_description": "Alternative flights: flight id, route, departure and arrival (local time), seats left and fare difference.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "alternatives": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "flight_id": {"type": "string"},
                                    "route": {"type": "string"},
                                    "departure": {"type": "string"},
                                    "arrival": {"type": "string"},
                                    "seats_left": {"type": "integer"},
                                    "fare_difference": {"type": "number"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "rebook_flight",
                "description": "Move a booking onto another flight and say how any fare difference is handled.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "booking_reference": {"type": "string", "pattern": "^[A-Z0-9]{6}$"},
                        "new_flight_id": {"type": "string", "description": "flight_id from search_alternatives"},
                        "fare_difference": {"type": "string", "enum": ["waive", "charge_customer"]},
                    },
                    "required": ["booking_reference", "new_flight_id", "fare_difference"],
                    "additionalProperties": False,
                },
                "output_description": "The new itinerary and the new e-ticket number.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "booking_reference": {"type": "string"},
                        "new_flight_id": {"type": "string"},
                        "eticket": {"type": "string"},
                        "amount_charged": {"type": "number"},
                    },
                },
            },
            {
                "name": "purchase_lounge_pass",
                "description": "Buy a day pass for an airport lounge.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "airport": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        "date": {"type": "string", "format": "date"},
                    },
                    "required": ["airport", "date"],
                    "additionalProperties": False,
                },
                "output_description": "The lounge pass code and price.",
                "distractor": True,
            },
        ],
        "policy": [
            "When the airline cancelled the flight, rebook_flight must NOT use fare_difference charge_customer: the fare difference is always waived.",
            "Only rebook onto a flight the passenger has agreed to.",
        ],
        "workflow": [
            "Ask the passenger for the booking reference and last name.",
            "Look up the booking and confirm the flight was cancelled by the airline.",
            "Search for alternative flights.",
            "Ask by when the passenger has to arrive and pick the alternative that arrives in time.",
            "Rebook onto that flight with the fare difference waived.",
            "Give the passenger the new flight and e-ticket number.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_booking", "description": "Looked up booking KX4Q9T for passenger Doyle.",
                 "check": {"kind": "tool_call", "tool": "get_booking", "arguments": {"booking_reference": "KX4Q9T", "last_name": "Doyle"}}},
                {"id": "searched_alternatives", "description": "Searched alternatives for the booking.",
                 "check": {"kind": "tool_call", "tool": "search_alternatives", "arguments": {"booking_reference": "KX4Q9T"}}},
                {"id": "rebooked_in_time", "description": "Rebooked onto NA1402, the only option landing before 6 pm, with the fare difference waived.",
                 "check": {"kind": "tool_call", "tool": "rebook_flight",
                           "arguments": {"booking_reference": "KX4Q9T", "new_flight_id": "NA1402", "fare_difference": "waive"}}},
                {"id": "told_eticket", "description": "Gave the passenger the new e-ticket number.",
                 "check": {"kind": "answer_contains", "values": ["0837-551902"]}},
            ],
            "required_interactions": [
                {"id": "asked_booking_reference", "description": "Asked for the booking reference before looking it up.",
                 "check": {"kind": "fact_revealed", "fact": "booking_reference", "before_tool": "get_booking"}},
                {"id": "asked_last_name", "description": "Asked for the passenger's last name before looking up the booking.",
                 "check": {"kind": "fact_revealed", "fact": "last_name", "before_tool": "get_booking"}},
                {"id": "asked_arrival_deadline", "description": "Asked when the passenger must arrive before rebooking.",
                 "check": {"kind": "fact_revealed", "fact": "arrival_deadline", "before_tool": "rebook_flight"}},
            ],
            "forbidden": [
                {"id": "charged_fare_difference", "description": "Charged the passenger a fare difference on an airline cancellation.",
                 "check": {"kind": "tool_call", "tool": "rebook_flight", "arguments": {"fare_difference": "charge_customer"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_booking", "arguments": {"booking_reference": "KX4Q9T", "last_name": "Doyle"},
             "response": {"booking_reference": "KX4Q9T", "passenger": "Margaret Doyle",
                          "flights": [{"flight": "NA318", "route": "BOS-DUB", "departure": "2025-09-12T18:40",
                                       "status": "cancelled"}],
                          "cancellation_reason": "airline_operational"}},
            {"tool": "search_alternatives", "arguments": {"booking_reference": "KX4Q9T"},
             "response": {"alternatives": [
                 {"flight_id": "NA324", "route": "BOS-DUB direct", "departure": "2025-09-13T18:40",
                  "arrival": "2025-09-14T06:15", "seats_left": 9, "fare_difference": 0.0},
                 {"flight_id": "NA1402", "route": "BOS-JFK-DUB", "departure": "2025-09-12T16:05",
                  "arrival": "2025-09-13T08:50", "seats_left": 2, "fare_difference": 145.0},
                 {"flight_id": "AL207", "route": "BOS-LHR-DUB (partner)", "departure": "2025-09-12T21:30",
                  "arrival": "2025-09-13T19:05", "seats_left": 5, "fare_difference": 0.0},
             ]}},
            {"tool": "rebook_flight",
             "arguments": {"booking_reference": "KX4Q9T", "new_flight_id": "NA1402", "fare_difference": "waive"},
             "response": {"booking_reference": "KX4Q9T", "new_flight_id": "NA1402", "eticket": "0837-551902",
                          "amount_charged": 0.0}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "I'm sorry your flight was cancelled. What is your booking reference and your last name?"},
            {"kind": "tool_call", "tool": "get_booking", "arguments": {"booking_reference": "KX4Q9T", "last_name": "Doyle"}},
            {"kind": "tool_call", "tool": "search_alternatives", "arguments": {"booking_reference": "KX4Q9T"}},
            {"kind": "ask_user", "message": "I have three alternatives. By what time do you need to arrive in Dublin?"},
            {"kind": "tool_call", "tool": "rebook_flight",
             "arguments": {"booking_reference": "KX4Q9T", "new_flight_id": "NA1402", "fare_difference": "waive"}},
            {"kind": "answer", "content": (
                "You are rebooked on NA1402 via New York JFK, leaving Boston on 12 September at 16:05 and landing in "
                "Dublin on 13 September at 08:50, well before 6 pm. Your new e-ticket is 0837-551902 and the fare "
                "difference was waived, so there is nothing to pay.")},
        ],
    },
    # ------------------------------------------------------------------ hotels: search, respect corporate caps, book
    {
        "id": "travel-business-hotel-within-policy",
        "domain": "travel",
        "persona": "A management consultant who books her own business travel through the company's travel desk and hates paperwork.",
        "instruction": "I need a hotel for my client visit in Munich next month.",
        "hidden_context": (
            "You arrive in Munich on 14 October 2025 and leave on 17 October 2025 (three nights). The trip should be "
            "billed to cost center CC-4471. You don't care which hotel as long as it's allowed by company policy."
        ),
        "hidden_facts": [
            {
                "key": "stay_dates",
                "value": "14 October",
                "statement": "I check in on 14 October and check out on 17 October, so three nights.",
                "keywords": ["dates", "check in", "check-in", "how many nights", "which nights", "when"],
            },
            {
                "key": "cost_center",
                "value": "CC-4471",
                "statement": "Please bill it to cost center CC-4471.",
                "keywords": ["cost center", "cost centre", "billing code", "project code", "charge it to"],
            },
        ],
        "tools": [
            {
                "name": "search_hotels",
                "description": "Search hotels in a city for given dates; returns bookable rates.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string"},
                        "check_in": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "check_out": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                    },
                    "required": ["city", "check_in", "check_out"],
                    "additionalProperties": False,
                },
                "output_description": "Rates: rate id, hotel, nightly rate in EUR, rate type (flexible or non_refundable) and distance to the centre.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "rates": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "rate_id": {"type": "string"},
                                    "hotel": {"type": "string"},
                                    "nightly_rate_eur": {"type": "number"},
                                    "rate_type": {"type": "string", "enum": ["flexible", "non_refundable"]},
                                    "distance_km": {"type": "number"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "get_rate_details",
                "description": "Show the cancellation terms and inclusions of one rate.",
                "parameters": {
                    "type": "object",
                    "properties": {"rate_id": {"type": "string"}},
                    "required": ["rate_id"],
                    "additionalProperties": False,
                },
                "output_description": "Cancellation deadline, whether breakfast is included and the total price.",
            },
            {
                "name": "book_hotel",
                "description": "Book a rate for the logged-in traveller and bill it to a cost center.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "rate_id": {"type": "string"},
                        "check_in": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "check_out": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "cost_center": {"type": "string", "pattern": "^CC-\\d{4}$"},
                    },
                    "required": ["rate_id", "check_in", "check_out", "cost_center"],
                    "additionalProperties": False,
                },
                "output_description": "The hotel booking confirmation number and total price.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "confirmation": {"type": "string"},
                        "hotel": {"type": "string"},
                        "total_eur": {"type": "number"},
                    },
                },
            },
            {
                "name": "get_city_events",
                "description": "List concerts, fairs and other events in a city for a month.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "city": {"type": "string"},
                        "month": {"type": "string", "pattern": "^\\d{4}-\\d{2}$"},
                    },
                    "required": ["city", "month"],
                    "additionalProperties": False,
                },
                "output_description": "Events with names and dates.",
                "distractor": True,
            },
        ],
        "policy": [
            "Corporate travel policy: book_hotel must NOT be used for a rate above EUR 190 per night in Munich.",
            "Client visits often move, so only flexible (refundable) rates may be booked; non_refundable rates must not be booked.",
        ],
        "workflow": [
            "Ask the traveller for the check-in and check-out dates.",
            "Search hotels in Munich for those dates.",
            "Pick the rate that is flexible and at most EUR 190 per night, and check its terms.",
            "Ask which cost center to bill.",
            "Book the rate and give the traveller the confirmation number.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "searched_munich", "description": "Searched Munich hotels for 14-17 October 2025.",
                 "check": {"kind": "tool_call", "tool": "search_hotels",
                           "arguments": {"city": "Munich", "check_in": "2025-10-14", "check_out": "2025-10-17"}}},
                {"id": "booked_compliant_rate", "description": "Booked the Isar Parkhotel flexible rate on cost center CC-4471.",
                 "check": {"kind": "tool_call", "tool": "book_hotel",
                           "arguments": {"rate_id": "R-IPH-FLEX", "check_in": "2025-10-14", "check_out": "2025-10-17",
                                         "cost_center": "CC-4471"}}},
                {"id": "told_confirmation", "description": "Gave the traveller the confirmation number.",
                 "check": {"kind": "answer_contains", "values": ["HB-660913"]}},
            ],
            "required_interactions": [
                {"id": "asked_dates", "description": "Asked for the stay dates before searching.",
                 "check": {"kind": "fact_revealed", "fact": "stay_dates", "before_tool": "search_hotels"}},
                {"id": "asked_cost_center", "description": "Asked for the cost center before booking.",
                 "check": {"kind": "fact_revealed", "fact": "cost_center", "before_tool": "book_hotel"}},
            ],
            "forbidden": [
                {"id": "booked_over_cap", "description": "Booked a rate above the EUR 190 nightly cap.",
                 "check": {"kind": "tool_call", "tool": "book_hotel", "arguments": {"rate_id": "R-BHS-FLEX"}}},
                {"id": "booked_non_refundable", "description": "Booked a non-refundable rate for a client visit.",
                 "check": {"kind": "tool_call", "tool": "book_hotel",
                           "arguments": {"rate_id": {"$in": ["R-IPH-SAVER", "R-LDH-SAVER"]}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "search_hotels", "arguments": {"city": "Munich", "check_in": "2025-10-14", "check_out": "2025-10-17"},
             "response": {"rates": [
                 {"rate_id": "R-BHS-FLEX", "hotel": "Hotel Residenz am Hofgarten", "nightly_rate_eur": 289.0,
                  "rate_type": "flexible", "distance_km": 0.6},
                 {"rate_id": "R-IPH-FLEX", "hotel": "Isar Parkhotel", "nightly_rate_eur": 176.0,
                  "rate_type": "flexible", "distance_km": 1.8},
                 {"rate_id": "R-IPH-SAVER", "hotel": "Isar Parkhotel", "nightly_rate_eur": 158.0,
                  "rate_type": "non_refundable", "distance_km": 1.8},
                 {"rate_id": "R-LDH-SAVER", "hotel": "Leopold Design Hotel", "nightly_rate_eur": 149.0,
                  "rate_type": "non_refundable", "distance_km": 3.4},
             ]}},
            {"tool": "get_rate_details", "arguments": {"rate_id": "R-IPH-FLEX"},
             "response": {"rate_id": "R-IPH-FLEX", "free_cancellation_until": "2025-10-13T18:00",
                          "breakfast_included": True, "total_eur": 528.0}},
            {"tool": "book_hotel",
             "arguments": {"rate_id": "R-IPH-FLEX", "check_in": "2025-10-14", "check_out": "2025-10-17",
                           "cost_center": "CC-4471"},
             "response": {"confirmation": "HB-660913", "hotel": "Isar Parkhotel", "total_eur": 528.0}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Happy to book that. What are your check-in and check-out dates?"},
            {"kind": "tool_call", "tool": "search_hotels",
             "arguments": {"city": "Munich", "check_in": "2025-10-14", "check_out": "2025-10-17"}},
            {"kind": "tool_call", "tool": "get_rate_details", "arguments": {"rate_id": "R-IPH-FLEX"}},
            {"kind": "ask_user", "message": (
                "The Isar Parkhotel flexible rate (EUR 176/night, breakfast included, free cancellation until 13 October) "
                "is the only option within policy. Which cost center should I bill it to?")},
            {"kind": "tool_call", "tool": "book_hotel",
             "arguments": {"rate_id": "R-IPH-FLEX", "check_in": "2025-10-14", "check_out": "2025-10-17",
                           "cost_center": "CC-4471"}},
            {"kind": "answer", "content": (
                "Booked: Isar Parkhotel, 14-17 October 2025, flexible rate at EUR 176 per night (EUR 528 total, "
                "breakfast included), billed to CC-4471. Confirmation number HB-660913; free cancellation until "
                "13 October 18:00.")},
        ],
    },
    # ------------------------------------------------------------------ trains: multi-passenger booking with a discount trap
    {
        "id": "travel-family-train-tickets",
        "domain": "travel",
        "persona": "A father of two organising a weekend away on a tight budget, typing quickly on his phone.",
        "instruction": "Can you book train tickets from London to York for our family trip?",
        "hidden_context": (
            "You want to travel from London King's Cross to York on Saturday 24 May 2025, on the first direct train "
            "after 9 am. There are two adults and two children (aged 7 and 12). You do not have any railcard."
        ),
        "hidden_facts": [
            {
                "key": "travel_date",
                "value": "24 May",
                "statement": "We want to go on Saturday 24 May, on the first direct train after 9 am.",
                "keywords": ["date", "which day", "what day"],
            },
            {
                "key": "passengers",
                "value": "two adults and two children",
                "statement": "It's two adults and two children, aged 7 and 12.",
                "keywords": ["how many", "passengers", "who is travelling", "who's travelling", "people"],
            },
            {
                "key": "railcard",
                "value": "no railcard",
                "statement": "We don't have one, no railcard at all.",
                "keywords": ["railcard", "rail card", "discount card"],
            },
        ],
        "tools": [
            {
                "name": "search_trains",
                "description": "Search train departures between two stations on a date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "origin": {"type": "string"},
                        "destination": {"type": "string"},
                        "date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "depart_after": {"type": "string", "pattern": "^\\d{2}:\\d{2}$"},
                    },
                    "required": ["origin", "destination", "date"],
                    "additionalProperties": False,
                },
                "output_description": "Trains with id, departure and arrival time, and number of changes.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "trains": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "train_id": {"type": "string"},
                                    "departs": {"type": "string"},
                                    "arrives": {"type": "string"},
                                    "changes": {"type": "integer"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "get_fare_quote",
                "description": "Price a train for a group of adults and children (children are 5-15).",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "train_id": {"type": "string"},
                        "adults": {"type": "integer", "minimum": 0, "maximum": 9},
                        "children": {"type": "integer", "minimum": 0, "maximum": 9},
                    },
                    "required": ["train_id", "adults", "children"],
                    "additionalProperties": False,
                },
                "output_description": "Total price in GBP, the per-passenger fares and possible railcard savings.",
            },
            {
                "name": "book_tickets",
                "description": "Buy tickets on a train for a group, optionally applying a railcard discount.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "train_id": {"type": "string"},
                        "adults": {"type": "integer", "minimum": 0, "maximum": 9},
                        "children": {"type": "integer", "minimum": 0, "maximum": 9},
                        "railcard": {"type": "string",
                                     "enum": ["none", "family_and_friends", "16_25", "senior", "two_together"]},
                    },
                    "required": ["train_id", "adults", "children", "railcard"],
                    "additionalProperties": False,
                },
                "output_description": "The booking reference, the total charged and the e-ticket collection code.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "booking_reference": {"type": "string"},
                        "total_gbp": {"type": "number"},
                        "collection_code": {"type": "string"},
                    },
                },
            },
            {
                "name": "check_station_facilities",
                "description": "List the facilities (lifts, toilets, parking) at a station.",
                "parameters": {
                    "type": "object",
                    "properties": {"station": {"type": "string"}},
                    "required": ["station"],
                    "additionalProperties": False,
                },
                "output_description": "The station's facilities.",
                "distractor": True,
            },
        ],
        "policy": [
            "book_tickets must NOT apply a railcard (anything other than railcard none) unless the customer has confirmed they hold that railcard; travelling with a discount they don't hold risks a penalty fare.",
        ],
        "workflow": [
            "Ask for the travel date and who is travelling.",
            "Search trains from London King's Cross to York on that date and pick the first direct train after 9 am.",
            "Get a fare quote for two adults and two children.",
            "Ask whether the family holds a railcard.",
            "Book the tickets and give the booking reference.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "searched_trains", "description": "Searched trains to York on 24 May 2025.",
                 "check": {"kind": "tool_call", "tool": "search_trains",
                           "arguments": {"destination": "York", "date": "2025-05-24"}}},
                {"id": "quoted_fare", "description": "Quoted the 09:30 direct train for 2 adults and 2 children.",
                 "check": {"kind": "tool_call", "tool": "get_fare_quote",
                           "arguments": {"train_id": "TR-0930", "adults": 2, "children": 2}}},
                {"id": "booked_tickets", "description": "Booked the 09:30 direct train for 2 adults and 2 children without a railcard.",
                 "check": {"kind": "tool_call", "tool": "book_tickets",
                           "arguments": {"train_id": "TR-0930", "adults": 2, "children": 2, "railcard": "none"}}},
                {"id": "told_reference", "description": "Gave the customer the booking reference.",
                 "check": {"kind": "answer_contains", "values": ["LNR-4QK8ZD"]}},
            ],
            "required_interactions": [
                {"id": "asked_date", "description": "Asked for the travel date before searching.",
                 "check": {"kind": "fact_revealed", "fact": "travel_date", "before_tool": "search_trains"}},
                {"id": "asked_passengers", "description": "Asked who is travelling before pricing.",
                 "check": {"kind": "fact_revealed", "fact": "passengers", "before_tool": "get_fare_quote"}},
                {"id": "asked_railcard", "description": "Asked about a railcard before booking.",
                 "check": {"kind": "fact_revealed", "fact": "railcard", "before_tool": "book_tickets"}},
            ],
            "forbidden": [
                {"id": "unconfirmed_railcard", "description": "Applied a railcard the family does not hold.",
                 "check": {"kind": "tool_call", "tool": "book_tickets", "arguments": {"railcard": {"$ne": "none"}}}},
            ],
        },
        "seed_mapping": [
            {"tool": "search_trains",
             "arguments": {"origin": "London King's Cross", "destination": "York", "date": "2025-05-24", "depart_after": "09:00"},
             "response": {"trains": [
                 {"train_id": "TR-0903", "departs": "09:03", "arrives": "11:18", "changes": 1},
                 {"train_id": "TR-0930", "departs": "09:30", "arrives": "11:24", "changes": 0},
                 {"train_id": "TR-1000", "departs": "10:00", "arrives": "11:51", "changes": 0},
             ]}},
            {"tool": "get_fare_quote", "arguments": {"train_id": "TR-0930", "adults": 2, "children": 2},
             "response": {"train_id": "TR-0930", "total_gbp": 238.6,
                          "fares": {"adult": 79.55, "child": 39.75},
                          "railcard_savings": {"family_and_friends": 91.4}}},
            {"tool": "book_tickets",
             "arguments": {"train_id": "TR-0930", "adults": 2, "children": 2, "railcard": "none"},
             "response": {"booking_reference": "LNR-4QK8ZD", "total_gbp": 238.6, "collection_code": "Q7M2XK9P"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sure! What date do you want to travel, and how many people are going?"},
            {"kind": "tool_call", "tool": "search_trains",
             "arguments": {"origin": "London King's Cross", "destination": "York", "date": "2025-05-24", "depart_after": "09:00"}},
            {"kind": "tool_call", "tool": "get_fare_quote", "arguments": {"train_id": "TR-0930", "adults": 2, "children": 2}},
            {"kind": "ask_user", "message": (
                "The first direct train after 9 am is the 09:30, arriving in York at 11:24, for GBP 238.60 for the four "
                "of you. Do you hold a railcard?")},
            {"kind": "tool_call", "tool": "book_tickets",
             "arguments": {"train_id": "TR-0930", "adults": 2, "children": 2, "railcard": "none"}},
            {"kind": "answer", "content": (
                "Booked: the 09:30 direct from London King's Cross to York on Saturday 24 May, arriving 11:24, for two "
                "adults and two children. Total GBP 238.60. Booking reference LNR-4QK8ZD; collect the e-tickets with "
                "code Q7M2XK9P.")},
        ],
    },
    # ------------------------------------------------------------------ car rental: incident handling, then a replacement
    {
        "id": "travel-rental-car-breakdown",
        "domain": "travel",
        "persona": "A software engineer on a family road trip in Arizona, stressed, standing on the hard shoulder with two kids in the car.",
        "instruction": "Our rental car just broke down on the highway, what can you do?",
        "hidden_context": (
            "Your rental agreement is RA-2290417 (a midsize Toyota Camry picked up at Phoenix Sky Harbor). The engine "
            "overheated: the temperature warning came on and steam came from the hood. You are pulled over on I-17 "
            "northbound at mile marker 212, just south of Camp Verde. There are four of you with two child seats and "
            "luggage, and you have no way to get to a branch."
        ),
        "hidden_facts": [
            {
                "key": "rental_agreement",
                "value": "RA-2290417",
                "statement": "The rental agreement number is RA-2290417.",
                "keywords": ["rental agreement", "agreement number", "rental number", "confirmation number", "reservation number"],
            },
            {
                "key": "location",
                "value": "mile marker 212",
                "statement": (
                    "We're pulled over on I-17 northbound at mile marker 212, just south of Camp Verde. There are four "
                    "of us with two child seats, and we can't get to a branch."),
                "keywords": ["location", "where are you", "where exactly", "where you are"],
            },
            {
                "key": "symptom",
                "value": "overheating",
                "statement": "The engine is overheating: the temperature warning came on and there's steam coming from the hood.",
                "keywords": ["what happened", "what went wrong", "what's wrong", "symptom", "problem with the car"],
            },
        ],
        "tools": [
            {
                "name": "get_rental_agreement",
                "description": "Look up a rental agreement: renter, vehicle, vehicle class and coverage.",
                "parameters": {
                    "type": "object",
                    "properties": {"agreement_number": {"type": "string", "pattern": "^RA-\\d{7}$"}},
                    "required": ["agreement_number"],
                    "additionalProperties": False,
                },
                "output_description": "Renter name, vehicle, vehicle class, pick-up branch, return date and roadside coverage.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "agreement_number": {"type": "string"},
                        "renter": {"type": "string"},
                        "vehicle": {"type": "string"},
                        "vehicle_class": {"type": "string", "enum": ["compact", "midsize", "fullsize_suv", "premium"]},
                        "return_date": {"type": "string"},
                        "roadside_coverage": {"type": "string"},
                    },
                },
            },
            {
                "name": "report_breakdown",
                "description": "Open a roadside incident for a rental and dispatch a tow truck.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "agreement_number": {"type": "string", "pattern": "^RA-\\d{7}$"},
                        "location": {"type": "string", "description": "Where the vehicle is, as precisely as possible"},
                        "symptom": {"type": "string",
                                    "enum": ["wont_start", "flat_tire", "overheating", "warning_light", "accident", "other"]},
                    },
                    "required": ["agreement_number", "location", "symptom"],
                    "additionalProperties": False,
                },
                "output_description": "The incident id and the tow truck's estimated arrival.",
                "output_schema": {
                    "type": "object",
                    "properties": {"incident_id": {"type": "string"}, "tow_eta_minutes": {"type": "integer"}},
                },
            },
            {
                "name": "find_replacement_vehicles",
                "description": "List vehicles the nearest branch can provide as a replacement for an incident.",
                "parameters": {
                    "type": "object",
                    "properties": {"incident_id": {"type": "string"}},
                    "required": ["incident_id"],
                    "additionalProperties": False,
                },
                "output_description": "Vehicles with id, model, class, seats and delivery time.",
            },
            {
                "name": "arrange_replacement",
                "description": "Assign a replacement vehicle to an incident and say how the renter gets it.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "incident_id": {"type": "string"},
                        "vehicle_id": {"type": "string"},
                        "delivery": {"type": "string", "enum": ["deliver_to_breakdown_location", "pickup_at_branch"]},
                    },
                    "required": ["incident_id", "vehicle_id", "delivery"],
                    "additionalProperties": False,
                },
                "output_description": "The replacement reference and the delivery time.",
                "output_schema": {
                    "type": "object",
                    "properties": {"replacement_id": {"type": "string"}, "eta_minutes": {"type": "integer"}},
                },
            },
            {
                "name": "extend_rental",
                "description": "Extend a rental's return date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "agreement_number": {"type": "string"},
                        "new_return_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                    },
                    "required": ["agreement_number", "new_return_date"],
                    "additionalProperties": False,
                },
                "output_description": "The new return date and the extra charge.",
                "distractor": True,
            },
        ],
        "policy": [
            "arrange_replacement must NOT assign a vehicle of a higher class than the one rented (no free upgrades); use the same or a lower class.",
            "Ask for the renter's location before dispatching anything.",
        ],
        "workflow": [
            "Ask for the rental agreement number and look the rental up.",
            "Ask where the car is and what went wrong.",
            "Report the breakdown so a tow truck is dispatched.",
            "Find replacement vehicles and pick one of the rented class that fits the family.",
            "Arrange delivery of the replacement to the breakdown location.",
            "Tell the renter the incident and replacement references and timings.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_rental", "description": "Looked up rental agreement RA-2290417.",
                 "check": {"kind": "tool_call", "tool": "get_rental_agreement", "arguments": {"agreement_number": "RA-2290417"}}},
                {"id": "reported_breakdown", "description": "Reported the overheating breakdown at mile marker 212.",
                 "check": {"kind": "tool_call", "tool": "report_breakdown",
                           "arguments": {"agreement_number": "RA-2290417", "location": {"$contains": "mile marker 212"},
                                         "symptom": "overheating"}}},
                {"id": "arranged_midsize", "description": "Arranged the midsize replacement delivered to the breakdown location.",
                 "check": {"kind": "tool_call", "tool": "arrange_replacement",
                           "arguments": {"incident_id": "INC-55821", "vehicle_id": "VH-MID-7731",
                                         "delivery": "deliver_to_breakdown_location"}}},
                {"id": "told_references", "description": "Gave the renter the incident and replacement references.",
                 "check": {"kind": "answer_contains", "values": ["INC-55821", "RPL-30917"]}},
            ],
            "required_interactions": [
                {"id": "asked_agreement", "description": "Asked for the rental agreement number before looking it up.",
                 "check": {"kind": "fact_revealed", "fact": "rental_agreement", "before_tool": "get_rental_agreement"}},
                {"id": "asked_location", "description": "Asked where the car is before reporting the breakdown.",
                 "check": {"kind": "fact_revealed", "fact": "location", "before_tool": "report_breakdown"}},
                {"id": "asked_symptom", "description": "Asked what went wrong before reporting the breakdown.",
                 "check": {"kind": "fact_revealed", "fact": "symptom", "before_tool": "report_breakdown"}},
            ],
            "forbidden": [
                {"id": "free_upgrade", "description": "Assigned a full-size SUV (higher class) as replacement for a midsize rental.",
                 "check": {"kind": "tool_call", "tool": "arrange_replacement", "arguments": {"vehicle_id": "VH-SUV-4410"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_rental_agreement", "arguments": {"agreement_number": "RA-2290417"},
             "response": {"agreement_number": "RA-2290417", "renter": "Daniel Okafor", "vehicle": "Toyota Camry",
                          "vehicle_class": "midsize", "return_date": "2025-08-09",
                          "roadside_coverage": "Roadside Plus (towing and replacement included)"}},
            {"tool": "report_breakdown",
             "arguments": {"agreement_number": "RA-2290417",
                           "location": "I-17 northbound, mile marker 212, just south of Camp Verde",
                           "symptom": "overheating"},
             "response": {"incident_id": "INC-55821", "tow_eta_minutes": 50}},
            {"tool": "find_replacement_vehicles", "arguments": {"incident_id": "INC-55821"},
             "response": {"branch": "Camp Verde", "vehicles": [
                 {"vehicle_id": "VH-CMP-2210", "model": "Nissan Versa", "class": "compact", "seats": 5,
                  "luggage": "small", "delivery_minutes": 70},
                 {"vehicle_id": "VH-MID-7731", "model": "Hyundai Sonata", "class": "midsize", "seats": 5,
                  "luggage": "medium", "delivery_minutes": 95},
                 {"vehicle_id": "VH-SUV-4410", "model": "Chevrolet Tahoe", "class": "fullsize_suv", "seats": 7,
                  "luggage": "large", "delivery_minutes": 45},
             ]}},
            {"tool": "arrange_replacement",
             "arguments": {"incident_id": "INC-55821", "vehicle_id": "VH-MID-7731", "delivery": "deliver_to_breakdown_location"},
             "response": {"replacement_id": "RPL-30917", "eta_minutes": 95}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "I'm sorry, I hope everyone is safe. What is your rental agreement number?"},
            {"kind": "tool_call", "tool": "get_rental_agreement", "arguments": {"agreement_number": "RA-2290417"}},
            {"kind": "ask_user", "message": "Thanks, Daniel. What is your exact location, and what went wrong with the car?"},
            {"kind": "tool_call", "tool": "report_breakdown",
             "arguments": {"agreement_number": "RA-2290417",
                           "location": "I-17 northbound, mile marker 212, just south of Camp Verde",
                           "symptom": "overheating"}},
            {"kind": "tool_call", "tool": "find_replacement_vehicles", "arguments": {"incident_id": "INC-55821"}},
            {"kind": "tool_call", "tool": "arrange_replacement",
             "arguments": {"incident_id": "INC-55821", "vehicle_id": "VH-MID-7731", "delivery": "deliver_to_breakdown_location"}},
            {"kind": "answer", "content": (
                "A tow truck is on its way (incident INC-55821, about 50 minutes). A midsize Hyundai Sonata, the same "
                "class as your Camry and with room for the child seats, will be delivered to you at mile marker 212 in "
                "about 95 minutes (replacement RPL-30917). Stay well off the road with the hazard lights on and don't "
                "open the hood while the engine is hot.")},
        ],
    },
    # ------------------------------------------------------------------ visas: conditional on a validity check
    {
        "id": "travel-evisa-passport-too-short",
        "domain": "travel",
        "persona": "A PhD student presenting at her first international conference, organised but new to visa paperwork.",
        "instruction": "I'm going to a conference in Vietnam, can you get my e-visa sorted?",
        "hidden_context": (
            "You are a Canadian citizen living in Toronto. You arrive in Hanoi on 3 November 2025. Your passport "
            "expires on 9 January 2026. You would rather renew the passport than risk being refused."
        ),
        "hidden_facts": [
            {
                "key": "nationality",
                "value": "Canadian",
                "statement": "I'm a Canadian citizen, living in Toronto.",
                "keywords": ["nationality", "citizen", "citizenship", "which passport"],
            },
            {
                "key": "arrival_date",
                "value": "3 November",
                "statement": "I land in Hanoi on 3 November 2025.",
                "keywords": ["arrive", "arrival", "entry date", "travel dates"],
            },
            {
                "key": "passport_expiry",
                "value": "9 January 2026",
                "statement": "My passport expires on 9 January 2026.",
                "keywords": ["expire", "expiry", "expiration", "valid until"],
            },
        ],
        "tools": [
            {
                "name": "get_entry_requirements",
                "description": "Entry rules for a nationality visiting a destination: visa type, passport validity, fees.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "nationality": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166 alpha-2 code"},
                        "destination": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166 alpha-2 code"},
                        "purpose": {"type": "string", "enum": ["tourism", "business", "conference", "transit"]},
                    },
                    "required": ["nationality", "destination", "purpose"],
                    "additionalProperties": False,
                },
                "output_description": "Visa type needed, minimum passport validity after arrival (months), fee and processing time.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "visa": {"type": "string"},
                        "passport_valid_months_after_arrival": {"type": "integer"},
                        "fee_usd": {"type": "number"},
                        "processing_working_days": {"type": "integer"},
                    },
                },
            },
            {
                "name": "check_passport_validity",
                "description": "Check whether a passport meets a minimum validity after the arrival date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "expiry_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "arrival_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "required_months": {"type": "integer", "minimum": 0},
                    },
                    "required": ["expiry_date", "arrival_date", "required_months"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the passport is valid enough, and the months remaining after arrival.",
            },
            {
                "name": "submit_evisa_application",
                "description": "Submit an e-visa application and pay the fee.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "nationality": {"type": "string", "pattern": "^[A-Z]{2}$"},
                        "destination": {"type": "string", "pattern": "^[A-Z]{2}$"},
                        "passport_number": {"type": "string"},
                        "arrival_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "purpose": {"type": "string", "enum": ["tourism", "business", "conference", "transit"]},
                    },
                    "required": ["nationality", "destination", "passport_number", "arrival_date", "purpose"],
                    "additionalProperties": False,
                },
                "output_description": "The application number and the fee charged.",
            },
            {
                "name": "find_renewal_slots",
                "description": "List passport-renewal appointment slots at offices in a city.",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                    "additionalProperties": False,
                },
                "output_description": "Slots with id, office, time, service level and the date the new passport is ready.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "slots": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "slot_id": {"type": "string"},
                                    "office": {"type": "string"},
                                    "time": {"type": "string"},
                                    "service": {"type": "string", "enum": ["standard", "express", "urgent"]},
                                    "ready_by": {"type": "string"},
                                    "fee_cad": {"type": "number"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "book_renewal_slot",
                "description": "Book a passport-renewal appointment slot.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "slot_id": {"type": "string"},
                        "reason": {"type": "string", "enum": ["upcoming_travel", "expiring", "lost_or_stolen", "name_change"]},
                    },
                    "required": ["slot_id", "reason"],
                    "additionalProperties": False,
                },
                "output_description": "The appointment code, office address and what to bring.",
            },
            {
                "name": "convert_currency",
                "description": "Convert an amount between currencies at today's rate.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "amount": {"type": "number"},
                        "from_currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                        "to_currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
                    },
                    "required": ["amount", "from_currency", "to_currency"],
                    "additionalProperties": False,
                },
                "output_description": "The converted amount.",
                "distractor": True,
            },
        ],
        "policy": [
            "submit_evisa_application must NOT be used when the passport fails the destination's validity rule: the application is refused and the fee is lost. Help the traveller renew the passport first.",
        ],
        "workflow": [
            "Ask for the traveller's nationality and arrival date.",
            "Look up the entry requirements for Vietnam.",
            "Ask when the passport expires and check it against the validity rule.",
            "Since it fails, find passport-renewal slots in the traveller's city.",
            "Book the slot whose new passport is ready before the trip.",
            "Explain that the e-visa must be applied for with the new passport, and give the appointment code.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_requirements", "description": "Looked up entry requirements for a Canadian visiting Vietnam.",
                 "check": {"kind": "tool_call", "tool": "get_entry_requirements",
                           "arguments": {"nationality": "CA", "destination": "VN"}}},
                {"id": "checked_validity", "description": "Checked the passport (expires 2026-01-09) against the 2025-11-03 arrival.",
                 "check": {"kind": "tool_call", "tool": "check_passport_validity",
                           "arguments": {"expiry_date": "2026-01-09", "arrival_date": "2025-11-03"}}},
                {"id": "booked_express_slot", "description": "Booked the express renewal slot whose passport is ready before the trip.",
                 "check": {"kind": "tool_call", "tool": "book_renewal_slot", "arguments": {"slot_id": "SLOT-TO-1009E"}}},
                {"id": "told_appointment", "description": "Gave the traveller the appointment code.",
                 "check": {"kind": "answer_contains", "values": ["APT-TOR-48812"]}},
            ],
            "required_interactions": [
                {"id": "asked_nationality", "description": "Asked for the nationality before looking up requirements.",
                 "check": {"kind": "fact_revealed", "fact": "nationality", "before_tool": "get_entry_requirements"}},
                {"id": "asked_arrival", "description": "Asked for the arrival date before checking validity.",
                 "check": {"kind": "fact_revealed", "fact": "arrival_date", "before_tool": "check_passport_validity"}},
                {"id": "asked_expiry", "description": "Asked for the passport expiry date before checking validity.",
                 "check": {"kind": "fact_revealed", "fact": "passport_expiry", "before_tool": "check_passport_validity"}},
            ],
            "forbidden": [
                {"id": "doomed_application", "description": "Submitted a Vietnam e-visa application with a passport that fails the validity rule.",
                 "check": {"kind": "tool_call", "tool": "submit_evisa_application", "arguments": {"destination": "VN"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_entry_requirements", "arguments": {"nationality": "CA", "destination": "VN", "purpose": "conference"},
             "response": {"visa": "e-visa (single entry, up to 90 days)", "passport_valid_months_after_arrival": 6,
                          "fee_usd": 25.0, "processing_working_days": 3}},
            {"tool": "check_passport_validity",
             "arguments": {"expiry_date": "2026-01-09", "arrival_date": "2025-11-03", "required_months": 6},
             "response": {"valid": False, "months_remaining_after_arrival": 2,
                          "message": "Passport expires 2 months after arrival; 6 required."}},
            {"tool": "find_renewal_slots", "arguments": {"city": "Toronto"},
             "response": {"slots": [
                 {"slot_id": "SLOT-TO-1008A", "office": "Toronto - Victoria Street", "time": "2025-10-08T10:20",
                  "service": "standard", "ready_by": "2025-11-05", "fee_cad": 160.0},
                 {"slot_id": "SLOT-TO-1009E", "office": "Toronto - Victoria Street", "time": "2025-10-09T14:00",
                  "service": "express", "ready_by": "2025-10-20", "fee_cad": 270.0},
             ]}},
            {"tool": "book_renewal_slot", "arguments": {"slot_id": "SLOT-TO-1009E", "reason": "upcoming_travel"},
             "response": {"appointment_code": "APT-TOR-48812", "office": "Toronto - Victoria Street, 74 Victoria St",
                          "time": "2025-10-09T14:00",
                          "bring": ["current passport", "two passport photos", "proof of travel"]}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Happy to help. What is your nationality, and on what date do you arrive in Vietnam?"},
            {"kind": "tool_call", "tool": "get_entry_requirements",
             "arguments": {"nationality": "CA", "destination": "VN", "purpose": "conference"}},
            {"kind": "ask_user", "message": (
                "Vietnam needs your passport to be valid for 6 months after arrival. When does your passport expire?")},
            {"kind": "tool_call", "tool": "check_passport_validity",
             "arguments": {"expiry_date": "2026-01-09", "arrival_date": "2025-11-03", "required_months": 6}},
            {"kind": "tool_call", "tool": "find_renewal_slots", "arguments": {"city": "Toronto"}},
            {"kind": "tool_call", "tool": "book_renewal_slot", "arguments": {"slot_id": "SLOT-TO-1009E", "reason": "upcoming_travel"}},
            {"kind": "answer", "content": (
                "Your passport expires only 2 months after your 3 November arrival, but Vietnam requires 6, so an e-visa "
                "application now would be refused and the fee lost. I booked an express passport renewal at the Toronto "
                "Victoria Street office on 9 October at 14:00 (appointment APT-TOR-48812); the new passport is ready by "
                "20 October. Bring your current passport, two photos and proof of travel. Once you have it, apply for "
                "the Vietnam e-visa (USD 25, about 3 working days) with the new passport number.")},
        ],
    },
    # ------------------------------------------------------------------ itinerary change: two segments, one payment rule
    {
        "id": "travel-extend-business-trip-weekend",
        "domain": "travel",
        "persona": "A sales manager on a week-long business trip to Barcelona who wants to stay on for the weekend at her own cost.",
        "instruction": "Can you push back the end of my work trip so I can stay on for the weekend?",
        "hidden_context": (
            "Your trip number is TRP-80231. You want to fly home to Amsterdam on Sunday 19 October 2025 instead of "
            "Friday 17 October, preferably in the evening, and keep your hotel room until then. The extension is "
            "personal, so you expect to pay the extra yourself."
        ),
        "hidden_facts": [
            {
                "key": "trip_number",
                "value": "TRP-80231",
                "statement": "My trip number is TRP-80231.",
                "keywords": ["trip number", "trip id", "itinerary number", "trip reference"],
            },
            {
                "key": "new_return_date",
                "value": "19 October",
                "statement": "I'd like to fly back on Sunday 19 October, ideally in the evening, and keep my hotel room until then.",
                "keywords": ["which day", "new date", "fly back", "fly home", "return date"],
            },
        ],
        "tools": [
            {
                "name": "get_itinerary",
                "description": "Show all segments (flights, hotels) of a company trip.",
                "parameters": {
                    "type": "object",
                    "properties": {"trip_id": {"type": "string", "pattern": "^TRP-\\d{5}$"}},
                    "required": ["trip_id"],
                    "additionalProperties": False,
                },
                "output_description": "The traveller, trip purpose and each segment with its id, dates and payment method.",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "trip_id": {"type": "string"},
                        "traveller": {"type": "string"},
                        "purpose": {"type": "string"},
                        "segments": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "segment_id": {"type": "string"},
                                    "type": {"type": "string", "enum": ["flight", "hotel"]},
                                    "details": {"type": "string"},
                                    "paid_with": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
            {
                "name": "quote_flight_change",
                "description": "Quote the options for moving a flight segment to a new date.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "segment_id": {"type": "string"},
                        "new_date": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                    },
                    "required": ["segment_id", "new_date"],
                    "additionalProperties": False,
                },
                "output_description": "Options with an option id, flight, departure time and the cost of the change.",
            },
            {
                "name": "change_flight_segment",
                "description": "Apply a quoted flight change option and pay for it.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "segment_id": {"type": "string"},
                        "option_id": {"type": "string"},
                        "payment_method": {"type": "string", "enum": ["corporate_card", "personal_card"]},
                    },
                    "required": ["segment_id", "option_id", "payment_method"],
                    "additionalProperties": False,
                },
                "output_description": "The new flight, the new ticket number and the amount charged.",
            },
            {
                "name": "extend_hotel_segment",
                "description": "Move a hotel segment's check-out to a later date and pay for the extra nights.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "segment_id": {"type": "string"},
                        "new_check_out": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
                        "payment_method": {"type": "string", "enum": ["corporate_card", "personal_card"]},
                    },
                    "required": ["segment_id", "new_check_out", "payment_method"],
                    "additionalProperties": False,
                },
                "output_description": "The hotel's new confirmation number, the extra nights and the amount charged.",
            },
            {
                "name": "submit_expense_claim",
                "description": "File an expense claim for a trip.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "trip_id": {"type": "string"},
                        "amount": {"type": "number"},
                        "category": {"type": "string", "enum": ["meals", "transport", "lodging", "other"]},
                    },
                    "required": ["trip_id", "amount", "category"],
                    "additionalProperties": False,
                },
                "output_description": "The expense claim id.",
                "distractor": True,
            },
        ],
        "policy": [
            "Costs of extending a business trip for personal reasons must NOT be charged to the corporate card: change_flight_segment and extend_hotel_segment must use payment_method personal_card for leisure extensions.",
        ],
        "workflow": [
            "Ask for the trip number and load the itinerary.",
            "Ask which day the traveller wants to fly back.",
            "Quote the return-flight change for that date and pick the evening option.",
            "Change the return flight, paid with the personal card.",
            "Extend the hotel to the new departure date, paid with the personal card.",
            "Give the traveller the new ticket and hotel confirmation numbers.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "loaded_itinerary", "description": "Loaded trip TRP-80231.",
                 "check": {"kind": "tool_call", "tool": "get_itinerary", "arguments": {"trip_id": "TRP-80231"}}},
                {"id": "changed_flight", "description": "Moved the return flight to the 19 October evening option on the personal card.",
                 "check": {"kind": "tool_call", "tool": "change_flight_segment",
                           "arguments": {"segment_id": "SEG-FL2", "option_id": "CHG-KL1674-1019", "payment_method": "personal_card"}}},
                {"id": "extended_hotel", "description": "Extended the hotel to 19 October on the personal card.",
                 "check": {"kind": "tool_call", "tool": "extend_hotel_segment",
                           "arguments": {"segment_id": "SEG-HT1", "new_check_out": "2025-10-19", "payment_method": "personal_card"}}},
                {"id": "told_confirmations", "description": "Gave the new ticket and hotel confirmation numbers.",
                 "check": {"kind": "answer_contains", "values": ["074-2298831457", "HCF-55190"]}},
            ],
            "required_interactions": [
                {"id": "asked_trip_number", "description": "Asked for the trip number before loading the itinerary.",
                 "check": {"kind": "fact_revealed", "fact": "trip_number", "before_tool": "get_itinerary"}},
                {"id": "asked_return_date", "description": "Asked for the new return date before quoting the change.",
                 "check": {"kind": "fact_revealed", "fact": "new_return_date", "before_tool": "quote_flight_change"}},
            ],
            "forbidden": [
                {"id": "flight_on_corporate_card", "description": "Charged the leisure flight change to the corporate card.",
                 "check": {"kind": "tool_call", "tool": "change_flight_segment", "arguments": {"payment_method": "corporate_card"}}},
                {"id": "hotel_on_corporate_card", "description": "Charged the leisure hotel nights to the corporate card.",
                 "check": {"kind": "tool_call", "tool": "extend_hotel_segment", "arguments": {"payment_method": "corporate_card"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_itinerary", "arguments": {"trip_id": "TRP-80231"},
             "response": {"trip_id": "TRP-80231", "traveller": "Priya Raman", "purpose": "business - client workshops",
                          "segments": [
                              {"segment_id": "SEG-FL1", "type": "flight",
                               "details": "KL1671 AMS-BCN 2025-10-13 07:15 (flown)", "paid_with": "corporate_card"},
                              {"segment_id": "SEG-HT1", "type": "hotel",
                               "details": "Hotel Casa Gracia, check-in 2025-10-13, check-out 2025-10-17", "paid_with": "corporate_card"},
                              {"segment_id": "SEG-FL2", "type": "flight",
                               "details": "KL1672 BCN-AMS 2025-10-17 19:55", "paid_with": "corporate_card"},
                          ]}},
            {"tool": "quote_flight_change", "arguments": {"segment_id": "SEG-FL2", "new_date": "2025-10-19"},
             "response": {"options": [
                 {"option_id": "CHG-KL1670-1019", "flight": "KL1670 BCN-AMS", "departs": "2025-10-19T07:10", "cost_eur": 86.0},
                 {"option_id": "CHG-KL1674-1019", "flight": "KL1674 BCN-AMS", "departs": "2025-10-19T18:45", "cost_eur": 112.0},
             ]}},
            {"tool": "change_flight_segment",
             "arguments": {"segment_id": "SEG-FL2", "option_id": "CHG-KL1674-1019", "payment_method": "personal_card"},
             "response": {"segment_id": "SEG-FL2", "flight": "KL1674 BCN-AMS 2025-10-19 18:45",
                          "ticket_number": "074-2298831457", "charged_eur": 112.0, "paid_with": "personal_card"}},
            {"tool": "extend_hotel_segment",
             "arguments": {"segment_id": "SEG-HT1", "new_check_out": "2025-10-19", "payment_method": "personal_card"},
             "response": {"segment_id": "SEG-HT1", "confirmation": "HCF-55190", "extra_nights": 2,
                          "charged_eur": 290.0, "paid_with": "personal_card"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sure, I can change that. What is your trip number?"},
            {"kind": "tool_call", "tool": "get_itinerary", "arguments": {"trip_id": "TRP-80231"}},
            {"kind": "ask_user", "message": "Your return flight is on Friday 17 October. On which day would you like to fly back instead?"},
            {"kind": "tool_call", "tool": "quote_flight_change", "arguments": {"segment_id": "SEG-FL2", "new_date": "2025-10-19"}},
            {"kind": "tool_call", "tool": "change_flight_segment",
             "arguments": {"segment_id": "SEG-FL2", "option_id": "CHG-KL1674-1019", "payment_method": "personal_card"}},
            {"kind": "tool_call", "tool": "extend_hotel_segment",
             "arguments": {"segment_id": "SEG-HT1", "new_check_out": "2025-10-19", "payment_method": "personal_card"}},
            {"kind": "answer", "content": (
                "Done. You now fly home on KL1674 from Barcelona on Sunday 19 October at 18:45 (new ticket "
                "074-2298831457, EUR 112), and Hotel Casa Gracia is extended to check-out on 19 October (confirmation "
                "HCF-55190, 2 extra nights, EUR 290). Because the extension is personal, both charges went to your "
                "personal card, not the corporate card.")},
        ],
    },
]
