"""Evaluating cases: rules compiled into durable-rules, the runtime, routing, explanations, witnesses."""
