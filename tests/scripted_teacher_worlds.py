"""The small worlds the scripted teacher (``tests/scripted_teacher.py``) writes tasks about, as data.

Strings may hold ``{n}``, the case number that makes each task's ids unique. A plan step is ``("ask", fact)``,
``("call", tool, arguments)`` or ``("answer", text, source)``; an argument or source is a literal, ``"fact:KEY"``
(what the user said) or ``"resp:TOOL.PATH"`` (a field of that tool's last response, e.g. ``items.0.item_id``).
"""

from __future__ import annotations

from typing import Any


def _tool(name: str, description: str, params: dict[str, Any], output_description: str,
          output: dict[str, Any] | None = None) -> dict[str, Any]:
    tool = {"name": name, "description": description, "output_description": output_description,
            "parameters": {"type": "object", "properties": params, "required": list(params),
                           "additionalProperties": False}}
    output = output if output is not None else {"message": {"type": "string"}}  # every tool has an output schema
    tool["output_schema"] = {"type": "object", "properties": output, "required": list(output)}
    return tool


_S = {"type": "string"}
_N = {"type": "number"}

WORLDS: dict[str, dict[str, Any]] = {
    "retail": {
        "prefix": "ORD", "domain": "retail",
        "task": "Please return the blender from my order ORD-{n}: its jug arrived cracked. Create the return and "
                "refund me to my card.",
        "instructions": ["Hi, something I ordered arrived broken and I want to send it back.",
                         "Hello, I need to return a damaged item from a recent order.",
                         "One of the things I bought online arrived damaged, can you sort out a return for me?"],
        "hidden_context": "You ordered a blender in order ORD-{n}. Its jug arrived cracked. You want your money "
                          "back on your card, not store credit.",
        "facts": [
            {"key": "order_id", "value": "ORD-{n}", "pattern": r"ORD-\d{5}",
             "statement": "My order number is ORD-{n}.",
             "keywords": ["order number", "order id", "which order"],
             "question": "Sure. What is your order number?"},
            {"key": "item", "value": "blender", "pattern": "blender",
             "statement": "It's the blender, the jug arrived cracked.",
             "keywords": ["which item", "what item", "which product"],
             "question": "Thanks. Which item arrived damaged?"},
        ],
        "tools": [
            _tool("lookup_order", "Look up an order by its order number.", {"order_id": _S},
                  "The order's status and its items with their ids.",
                  {"status": {"type": "string", "enum": ["delivered", "shipped"]},
                   "items": {"type": "array", "minItems": 1,
                             "items": {"type": "object", "properties": {"item_id": _S, "name": _S}}}}),
            _tool("create_return", "Open a return for one item of an order.",
                  {"order_id": _S, "item_id": _S,
                   "reason": {"type": "string", "enum": ["damaged", "wrong_item", "changed_mind"]}},
                  "The return id and a prepaid label link.", {"return_id": _S, "label_url": _S}),
            _tool("issue_refund", "Refund a return to the original payment method.", {"return_id": _S},
                  "The refund id and amount.", {"refund_id": _S, "amount": _N}),
        ],
        "restricted": _tool("issue_store_credit", "Give the customer store credit on their account.",
                            {"order_id": _S, "amount": _N}, "The credit id.", {"credit_id": _S}),
        "restriction": {"rule": "issue_store_credit must NOT be used to compensate for a damaged item",
                        "reason": "a damaged item is refunded to the original payment method"},
        "helper": _tool("write_apology", "Write an apology note to the customer.", {"customer_name": _S},
                        "A short apology message."),
        "distractors": [
            _tool("track_shipment", "Track a parcel by its tracking number.", {"tracking_number": _S},
                  "The parcel's location and expected delivery date."),
            _tool("update_shipping_address", "Change the delivery address of an order not yet shipped.",
                  {"order_id": _S, "address": _S}, "Whether the address was changed."),
        ],
        "workflow": ["Ask for the order number.", "Look up the order.", "Ask which item is damaged.",
                     "Open a return for that item with the reason damaged.", "Refund the return.",
                     "Tell the customer the refund id."],
        "plan": [("ask", "order_id"), ("call", "lookup_order", {"order_id": "fact:order_id"}), ("ask", "item"),
                 ("call", "create_return", {"order_id": "fact:order_id", "reason": "damaged",
                                            "item_id": "resp:lookup_order.items.0.item_id"}),
                 ("call", "issue_refund", {"return_id": "resp:create_return.return_id"}),
                 ("answer", "All done: your return is open and your refund {} is on its way.",
                  "resp:issue_refund.refund_id")],
    },
    "banking": {
        "prefix": "ACC", "domain": "banking",
        "task": "My gym, Harbor Gym, charged my account ACC-{n} twice this month. Please dispute the duplicate "
                "charge, but keep my account open.",
        "instructions": ["There's a charge on my account that looks wrong, can you help me dispute it?",
                         "Hi, I think I was billed twice for something and I want the extra charge reversed.",
                         "Could you help me get a duplicate charge on my bank account refunded?"],
        "hidden_context": "Your account is ACC-{n}. Harbor Gym took your monthly fee twice. You still use the "
                          "account for recurring payments, so it must not be frozen.",
        "facts": [
            {"key": "account_id", "value": "ACC-{n}", "pattern": r"ACC-\d{5}",
             "statement": "It's account ACC-{n}.",
             "keywords": ["account number", "which account", "account id"],
             "question": "Of course. What is your account number?"},
            {"key": "merchant", "value": "Harbor Gym", "pattern": "Harbor Gym",
             "statement": "It's Harbor Gym, they took my monthly fee twice.",
             "keywords": ["which charge", "merchant", "which transaction"],
             "question": "Which charge looks wrong, who is the merchant?"},
        ],
        "tools": [
            _tool("find_account", "Find a customer's account by its number.", {"account_id": _S},
                  "The account holder and status.",
                  {"holder": _S, "status": {"type": "string", "enum": ["open", "frozen"]}}),
            _tool("search_transactions", "Search an account's recent transactions by merchant.",
                  {"account_id": _S, "merchant": _S}, "Matching transactions with ids, dates and amounts.",
                  {"transactions": {"type": "array", "minItems": 1,
                                    "items": {"type": "object", "properties": {"transaction_id": _S, "amount": _N}}}}),
            _tool("file_dispute", "Dispute one transaction.",
                  {"transaction_id": _S, "reason": {"type": "string", "enum": ["duplicate_charge", "unauthorized"]}},
                  "The dispute id.", {"dispute_id": _S}),
        ],
        "restricted": _tool("freeze_account", "Freeze an account so no payments go through.",
                            {"account_id": _S, "reason": _S}, "Whether the account is frozen.",
                            {"frozen": {"type": "boolean"}}),
        "restriction": {"rule": "freeze_account must NOT be used for a duplicate charge",
                        "reason": "freezing stops the customer's recurring payments"},
        "helper": _tool("calculate_difference", "Subtract one amount from another.", {"a": _N, "b": _N},
                        "The difference of the two amounts."),
        "distractors": [
            _tool("order_checkbook", "Order a new checkbook for an account.", {"account_id": _S},
                  "When the checkbook will arrive."),
        ],
        "workflow": ["Ask which account it is.", "Find the account.", "Ask which charge looks wrong.",
                     "Search the account's transactions for that merchant.",
                     "Dispute the duplicate as a duplicate charge.",
                     "Give the customer the dispute id."],
        "plan": [("ask", "account_id"), ("call", "find_account", {"account_id": "fact:account_id"}),
                 ("ask", "merchant"),
                 ("call", "search_transactions", {"account_id": "fact:account_id", "merchant": "fact:merchant"}),
                 ("call", "file_dispute", {"transaction_id": "resp:search_transactions.transactions.0.transaction_id",
                                           "reason": "duplicate_charge"}),
                 ("answer", "I disputed the duplicate Harbor Gym charge; your dispute id is {}.",
                  "resp:file_dispute.dispute_id")],
    },
    "travel": {
        "prefix": "BKG", "domain": "travel", "envelope": True,
        "task": "Please move my flight booking BKG-{n} to 2025-07-14 without cancelling it.",
        "instructions": ["I need to change the date of a flight I booked.",
                         "Hi, can you help me move my flight to another day?",
                         "Something came up and I have to fly on a different day than planned."],
        "hidden_context": "Your booking reference is BKG-{n}. You want to fly on 2025-07-14 instead. Cancelling "
                          "would forfeit your non-refundable fare.",
        "facts": [
            {"key": "booking_ref", "value": "BKG-{n}", "pattern": r"BKG-\d{5}",
             "statement": "My booking reference is BKG-{n}.",
             "keywords": ["booking reference", "booking number", "which booking"],
             "question": "Happy to help. What is your booking reference?"},
            {"key": "new_date", "value": "2025-07-14", "pattern": r"2025-07-14",
             "statement": "I'd like to fly on 2025-07-14 instead.",
             "keywords": ["which date", "new date", "what date"],
             "question": "Which date would you like to fly on instead?"},
        ],
        "tools": [
            _tool("get_booking", "Get a flight booking by its reference.", {"booking_ref": _S},
                  "The flight number, date and fare class.",
                  {"flight_number": _S, "date": _S, "fare_class": {"type": "string", "enum": ["basic", "flex"]}}),
            _tool("search_flights", "Search the flights of a booking's route on another date.",
                  {"booking_ref": _S, "date": _S}, "Available flights with ids and departure times.",
                  {"options": {"type": "array", "minItems": 1,
                               "items": {"type": "object", "properties": {"flight_id": _S, "departure": _S}}}}),
            _tool("change_flight", "Move a booking to another flight.", {"booking_ref": _S, "flight_id": _S},
                  "The new confirmation code.", {"confirmation_code": _S}),
        ],
        "restricted": _tool("cancel_booking", "Cancel a booking.", {"booking_ref": _S}, "Whether it was cancelled.",
                            {"cancelled": {"type": "boolean"}}),
        "restriction": {"rule": "cancel_booking must NOT be used to change a flight date",
                        "reason": "cancelling forfeits the fare"},
        "helper": _tool("convert_timezone", "Convert a time between time zones.",
                        {"time": _S, "from_tz": _S, "to_tz": _S}, "The converted time."),
        "distractors": [
            _tool("add_checked_bag", "Add checked bags to a booking.",
                  {"booking_ref": _S, "bags": {"type": "integer"}}, "The bag fee."),
            _tool("select_seat", "Choose a seat on a booked flight.", {"booking_ref": _S, "seat": _S},
                  "The seat assignment."),
        ],
        "workflow": ["Ask for the booking reference.", "Get the booking.", "Ask for the new date.",
                     "Search flights on that date.", "Move the booking to a flight on that date.",
                     "Give the customer the new confirmation code."],
        "plan": [("ask", "booking_ref"), ("call", "get_booking", {"booking_ref": "fact:booking_ref"}),
                 ("ask", "new_date"),
                 ("call", "search_flights", {"booking_ref": "fact:booking_ref", "date": "fact:new_date"}),
                 ("call", "change_flight", {"booking_ref": "fact:booking_ref",
                                            "flight_id": "resp:search_flights.options.0.flight_id"}),
                 ("answer", "Your flight is moved; the new confirmation code is {}.",
                  "resp:change_flight.confirmation_code")],
    },
}

# A tool whose parameters are not a valid JSON Schema ("strng"): the tool check must drop it and say why.
BAD_SCHEMA_TOOL = {"name": "export_pdf", "description": "Export the case as a PDF.",
                   "parameters": {"type": "object", "properties": {"pages": {"type": "strng"}}},
                   "output_description": "A PDF file.",
                   "output_schema": {"type": "object", "properties": {"url": {"type": "string"}}}}
