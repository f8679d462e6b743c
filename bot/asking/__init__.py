"""Questions about the plans.

answers: a question in, a cited answer out, with did-you-mean buttons and /nguon · plan_info:
/chitieu (the plan's targets) and /hanchot's milestones.
"""
