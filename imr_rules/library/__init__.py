"""The rule library: the rule language (operators, types), loading and validating rules, schemas, the topic catalog."""
