"""Retail domain tasks for the bundled pack (hand-written; see ``synthagent_env/packs/build.py``)."""

TASKS = [
    {
        "id": "retail-damaged-blender-return",
        "domain": "retail",
        "persona": "A busy nurse who shops online and wants problems fixed with as little back-and-forth as possible.",
        "instruction": "My new blender arrived broken, can you sort out a return for me?",
        "hidden_context": (
            "You ordered a blender (SKU BLD-220) in order A-48213. The glass jug arrived cracked. "
            "You want the money back as store credit because the card you paid with has been cancelled."
        ),
        "hidden_facts": [
            {
                "key": "order_id",
                "value": "A-48213",
                "statement": "The order number is A-48213.",
                "keywords": ["order number", "order id", "order"],
            },
            {
                "key": "refund_method",
                "value": "store credit",
                "statement": "Store credit please, the card I paid with was cancelled.",
                "keywords": ["refund", "store credit", "money back", "how would you like"],
            },
        ],
        "tools": [
            {
                "name": "get_order",
                "description": "Look up an order by its id and list its items.",
                "parameters": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string", "description": "Order id, e.g. A-12345"}},
                    "required": ["order_id"],
                    "additionalProperties": False,
                },
                "output_description": "The order's date, status and items (sku, name, price).",
                "output_schema": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "status": {"type": "string", "enum": ["delivered", "shipped", "processing"]},
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"sku": {"type": "string"}, "name": {"type": "string"}, "price": {"type": "number"}},
                            },
                        },
                    },
                },
            },
            {
                "name": "check_return_eligibility",
                "description": "Check whether an item of an order can still be returned.",
                "parameters": {
                    "type": "object",
                    "properties": {"order_id": {"type": "string"}, "sku": {"type": "string"}},
                    "required": ["order_id", "sku"],
                    "additionalProperties": False,
                },
                "output_description": "Whether the item is eligible and the allowed refund methods.",
            },
            {
                "name": "create_return",
                "description": "Open a return for one item and choose how the customer is refunded.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "order_id": {"type": "string"},
                        "sku": {"type": "string"},
                        "reason": {"type": "string", "enum": ["damaged", "wrong_item", "not_needed"]},
                        "refund_method": {"type": "string", "enum": ["original_payment", "store_credit"]},
                    },
                    "required": ["order_id", "sku", "reason", "refund_method"],
                    "additionalProperties": False,
                },
                "output_description": "The return id and the shipping label URL.",
            },
            {
                "name": "subscribe_newsletter",
                "description": "Sign a customer up for the weekly deals newsletter.",
                "parameters": {
                    "type": "object",
                    "properties": {"email": {"type": "string"}},
                    "required": ["email"],
                    "additionalProperties": False,
                },
                "output_description": "Confirmation of the subscription.",
                "distractor": True,
            },
        ],
        "policy": ["create_return must NOT use refund_method original_payment when the customer says the card is cancelled."],
        "workflow": [
            "Ask the customer for the order number.",
            "Look up the order to find the blender's SKU.",
            "Check that the blender can still be returned.",
            "Ask how the customer wants to be refunded.",
            "Create the return as damaged with the chosen refund method.",
            "Tell the customer the return id.",
        ],
        "rubric": {
            "sub_goals": [
                {"id": "looked_up_order", "description": "Looked up order A-48213.",
                 "check": {"kind": "tool_call", "tool": "get_order", "arguments": {"order_id": "A-48213"}}},
                {"id": "checked_eligibility", "description": "Checked the blender's return eligibility.",
                 "check": {"kind": "tool_call", "tool": "check_return_eligibility", "arguments": {"order_id": "A-48213", "sku": "BLD-220"}}},
                {"id": "created_return", "description": "Created a damaged-item return refunded as store credit.",
                 "check": {"kind": "tool_call", "tool": "create_return",
                           "arguments": {"order_id": "A-48213", "sku": "BLD-220", "reason": "damaged", "refund_method": "store_credit"}}},
                {"id": "told_return_id", "description": "Gave the customer the return id.",
                 "check": {"kind": "answer_contains", "values": ["RMA-7781"]}},
            ],
            "required_interactions": [
                {"id": "asked_order_id", "description": "Asked for the order number before looking it up.",
                 "check": {"kind": "fact_revealed", "fact": "order_id", "before_tool": "get_order"}},
                {"id": "asked_refund_method", "description": "Asked how to refund before creating the return.",
                 "check": {"kind": "fact_revealed", "fact": "refund_method", "before_tool": "create_return"}},
            ],
            "forbidden": [
                {"id": "refund_to_cancelled_card", "description": "Refunded to the cancelled card.",
                 "check": {"kind": "tool_call", "tool": "create_return", "arguments": {"refund_method": "original_payment"}}},
            ],
        },
        "seed_mapping": [
            {"tool": "get_order", "arguments": {"order_id": "A-48213"},
             "response": {"order_id": "A-48213", "status": "delivered",
                          "items": [{"sku": "BLD-220", "name": "PowerBlend 220 blender", "price": 89.99}]}},
            {"tool": "check_return_eligibility", "arguments": {"order_id": "A-48213", "sku": "BLD-220"},
             "response": {"eligible": True, "refund_methods": ["original_payment", "store_credit"]}},
            {"tool": "create_return",
             "arguments": {"order_id": "A-48213", "sku": "BLD-220", "reason": "damaged", "refund_method": "store_credit"},
             "response": {"return_id": "RMA-7781", "label_url": "https://returns.example.com/RMA-7781.pdf"}},
        ],
        "reference_solution": [
            {"kind": "ask_user", "message": "Sorry to hear that! What is your order number?"},
            {"kind": "tool_call", "tool": "get_order", "arguments": {"order_id": "A-48213"}},
            {"kind": "tool_call", "tool": "check_return_eligibility", "arguments": {"order_id": "A-48213", "sku": "BLD-220"}},
            {"kind": "ask_user", "message": "It can be returned. Would you like the refund to your card or as store credit?"},
            {"kind": "tool_call", "tool": "create_return",
             "arguments": {"order_id": "A-48213", "sku": "BLD-220", "reason": "damaged", "refund_method": "store_credit"}},
            {"kind": "answer", "content": "Your return RMA-7781 is open; the label is at https://returns.example.com/RMA-7781.pdf and you will get store credit."},
        ],
    },
]
