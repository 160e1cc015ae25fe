"""Who is on the platform: ``[providers]``, ``[customers]`` and ``[acquisition]`` (MODEL.md 6)."""

from __future__ import annotations

from sim.scenario.section import Section, param


class ProviderParameters(Section):
    count: int = param(26, "initial number of providers", "", ge=1, le=100_000)
    firm_share: float = param(
        0.2, "share of providers that are firms rather than individuals", "share", ge=0, le=1
    )
    individual_capacity: int = param(
        1, "concurrent orders an individual provider serves", "orders", ge=1, le=100
    )
    firm_capacity: int = param(3, "concurrent orders a firm serves", "orders", ge=1, le=1000)
    quality_mean: float = param(
        0.04,
        "mean probability that a provider causes a failure on an order",
        "per order",
        gt=0,
        lt=1,
    )
    quality_concentration: float = param(
        20.0, "concentration of the Beta distribution of provider failure probabilities", "", gt=0
    )
    service_hours_mean: float = param(0.75, "mean service time", "hours", gt=0, le=240)
    service_cv: float = param(0.5, "coefficient of variation of service time", "", ge=0, le=5)
    effort_drop: float = param(
        1.5,
        "failure-probability multiplier after an unfair low rating (Kapoor & Tucker 2017)",
        "x",
        ge=1,
        le=10,
    )
    effort_drop_days: float = param(2.0, "how long the effort drop lasts", "days", ge=0, le=365)
    reservation_earnings: float = param(
        180.0,
        "daily earnings per unit of capacity below which a provider considers leaving",
        "currency/day",
        ge=0,
    )
    exit_check_days: float = param(7.0, "how often providers review their earnings", "days", gt=0)
    exit_probability: float = param(
        0.5,
        "chance a provider below its reservation earnings leaves at a review",
        "share",
        ge=0,
        le=1,
    )
    applicants_per_day: float = param(0.5, "new provider applications per day", "per day", ge=0)
    applicant_quality_mean: float = param(
        0.08, "mean failure probability of applicants before vetting", "per order", gt=0, lt=1
    )


class CustomerParameters(Section):
    count: int = param(4000, "initial number of customers", "", ge=1, le=1_000_000)
    key_account_share: float = param(
        0.05, "share of customers that are key accounts", "share", ge=0, le=1
    )
    individualism: float = param(
        0.6,
        "mean individualism of the customer base (Hofstede), 0 collectivist to 1",
        "share",
        ge=0,
        le=1,
    )
    individualism_sd: float = param(0.1, "spread of individualism across customers", "", ge=0, le=1)
    power_distance: float = param(
        0.5, "mean power distance of the customer base (Hofstede), 0 to 1", "", ge=0, le=1
    )
    uncertainty_avoidance: float = param(
        0.5, "mean uncertainty avoidance of the customer base (Hofstede), 0 to 1", "", ge=0, le=1
    )
    long_term_orientation: float = param(
        0.5, "mean long-term orientation of the customer base (Hofstede), 0 to 1", "", ge=0, le=1
    )
    culture_sd: float = param(
        0.0,
        "spread across customers of power distance, uncertainty avoidance and long-term "
        "orientation",
        "",
        ge=0,
        le=1,
    )
    disposition_sd: float = param(
        0.5,
        "standard deviation of u, a customer's bias towards seeing the platform in control",
        "logit",
        ge=0,
        le=5,
    )
    orders_per_week_general: float = param(
        0.9, "order rate of a general customer", "per week", gt=0, le=1000
    )
    orders_per_week_key_account: float = param(
        4.0, "order rate of a key account", "per week", gt=0, le=1000
    )
    order_rate_cv: float = param(
        0.5,
        "coefficient of variation of customers' own order rates within a segment (Gamma; 0: "
        "every customer of a segment orders at its rate)",
        "",
        ge=0,
        le=5,
    )
    satisfaction_order_effect: float = param(
        0.2,
        "how strongly satisfaction moves the order rate (rate × (1 + e·(SAT − 0.75)) below 0.75)",
        "",
        ge=0,
        le=10,
    )
    satisfaction_order_upside: float = param(
        0.0,
        "share of the order effect that acts above 0.75 (0: satisfaction above the usual adds no "
        "orders; 1: as much as a shortfall takes away)",
        "share",
        ge=0,
        le=1,
    )
    price_mean_general: float = param(
        15.0, "mean price of a general customer's order", "currency", gt=0
    )
    price_mean_key_account: float = param(
        60.0, "mean price of a key account's order", "currency", gt=0
    )
    price_cv: float = param(0.5, "coefficient of variation of prices", "", ge=0, le=5)
    patience_mean_hours: float = param(
        0.2, "mean time a customer waits for a provider", "hours", gt=0
    )
    satisfaction_initial: float = param(
        0.75, "mean satisfaction of a customer at the start", "share", ge=0, le=1
    )
    satisfaction_initial_sd: float = param(0.1, "spread of initial satisfaction", "", ge=0, le=1)
    relationship_initial: float = param(
        0.35,
        "mean relationship strength of the customers present at the start",
        "share",
        ge=0,
        le=1,
    )
    switching_cost_general: float = param(
        0.1, "switching cost of a general customer", "share", ge=0, le=1
    )
    switching_cost_key_account: float = param(
        0.6, "switching cost of a key account", "share", ge=0, le=1
    )
    background_churn_per_day: float = param(
        0.0005, "daily probability that a customer leaves without a failure", "per day", ge=0, le=1
    )


class AcquisitionParameters(Section):
    base_per_day: float = param(
        2.6,
        "new customers per day when promoters and detractors balance (the default keeps the "
        "baseline's customer base stationary)",
        "per day",
        ge=0,
    )
    word_of_mouth: float = param(
        1.0,
        "rate = base × exp(word_of_mouth × (promoter share − detractor share))",
        "",
        ge=0,
        le=20,
    )
    promoter_satisfaction: float = param(
        0.8,
        "satisfaction from which an active customer recommends the platform",
        "share",
        ge=0,
        le=1,
    )
    detractor_satisfaction: float = param(
        0.4, "satisfaction below which a churned customer warns others", "share", ge=0, le=1
    )
    detractor_half_life_days: float = param(
        30.0,
        "days after which half of what churned detractors said is forgotten",
        "days",
        gt=0,
        le=3650,
    )
