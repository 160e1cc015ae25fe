"""The state of customers, providers and orders in progress (MODEL.md section 3).

Plain slotted classes: the SimPy world mutates them on the hot path, so they stay small.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.model.sanctions import RatingWindow

if TYPE_CHECKING:
    from sim.model.buying_centre import BuyingCentre
    from sim.model.kam import KeyAccount


class Customer:
    """A customer of the platform: segment, culture, disposition, satisfaction and relationship;
    a firm also has its buying centre (MODEL.md 14.1)."""

    __slots__ = (
        "id",
        "key_account",
        "individualism",
        "disposition",
        "satisfaction",
        "relationship",
        "has_ordered",
        "switching_cost",
        "failure_times",
        "failures",
        "active",
        "joined_at",
        "stage_index",
        "promoter",
        "background_churn_at",
        "centre",
        "spend",
        "kam",
        "uncoupled_until",
        "power_distance",
        "uncertainty_avoidance",
        "long_term_orientation",
        "contract",
        "order_rate",
        "counted_spend",
        "watch",
    )

    def __init__(
        self,
        customer_id: int,
        *,
        key_account: bool,
        individualism: float,
        disposition: float,
        satisfaction: float,
        relationship: float,
        has_ordered: bool,
        switching_cost: float,
        joined_at: float,
    ) -> None:
        self.id = customer_id
        self.key_account = key_account
        self.individualism = individualism
        self.disposition = disposition  # u in MODEL.md 5.3
        self.satisfaction = satisfaction
        self.relationship = relationship  # Rel in MODEL.md 5.11
        self.has_ordered = has_ordered
        self.switching_cost = switching_cost
        # Times of recent failures, oldest first; most customers never fail, and the empty tuple
        # costs no memory (a deque would cost 760 bytes per customer).
        self.failure_times: tuple[float, ...] = ()
        self.failures = 0
        self.active = True
        self.joined_at = joined_at
        self.stage_index = -1  # position in relationship.STAGES, kept by the world's census
        self.promoter = False  # satisfied enough to recommend the platform
        self.background_churn_at = float("inf")  # when it leaves without a failure
        self.centre: BuyingCentre | None = None  # a firm's buying centre; None: one person
        self.spend = 0.0  # paid since the platform's last review of its accounts (MODEL.md 14.2)
        self.kam: KeyAccount | None = None  # its key-account management, if any
        self.uncoupled_until = 0.0  # a KAM relationship that ended is not resumed before this
        # Hofstede's dimensions beyond individualism (MODEL.md 14.3), set by the world
        self.power_distance = 0.5
        self.uncertainty_avoidance = 0.5
        self.long_term_orientation = 0.5
        self.contract = False  # an SLA contract with the platform (MODEL.md 14.4)
        self.order_rate = 0.0  # base orders per hour, before satisfaction moves it (MODEL.md 10)
        self.counted_spend = 0.0  # paid in the counted window (MODEL.md 5.15)
        # the spend followed after its recent orders: (settled at, outcome, its spend then), 5.15
        self.watch: list[tuple[float, int, float]] = []

    @property
    def segment(self) -> str:
        return "key_account" if self.key_account else "general"

    def recent_failures(self, now: float, window_hours: float) -> int:
        """Failures within the window before ``now``, forgetting older ones."""
        times = self.failure_times
        if times and times[0] < now - window_hours:
            cutoff = now - window_hours
            times = self.failure_times = tuple(t for t in times if t >= cutoff)
        return len(times)

    def remember_failure(self, now: float) -> None:
        self.failure_times = (*self.failure_times, now)


class Provider:
    """A service provider: an individual gig worker or a firm, with capacity and a track record."""

    __slots__ = (
        "id",
        "individual",
        "capacity",
        "quality",
        "ratings",
        "_state",
        "can_serve",
        "suspensions",
        "effort_drop_until",
        "held_slots",
        "earnings",
        "earnings_since_review",
        "reservation",
        "complaints",
        "joined_at",
    )

    def __init__(
        self,
        provider_id: int,
        *,
        individual: bool,
        capacity: int,
        quality: float,
        rating_window: int,
        reservation: float,
        joined_at: float,
    ) -> None:
        self.id = provider_id
        self.individual = individual
        self.capacity = capacity
        self.quality = quality  # base probability of a provider-caused failure
        self.ratings = RatingWindow(rating_window)
        self.state = "active"
        self.suspensions = 0
        self.effort_drop_until = -1.0
        self.held_slots = 0  # capacity returned while suspended, released when it ends
        self.earnings = 0.0
        self.earnings_since_review = 0.0
        self.reservation = reservation  # daily earnings per unit capacity it needs to stay
        self.complaints = 0
        self.joined_at = joined_at

    @property
    def kind(self) -> str:
        return "individual" if self.individual else "firm"

    @property
    def state(self) -> str:
        """``active``, ``warned``, ``suspended``, ``delisted`` or ``exited`` (MODEL.md 5.12)."""
        return self._state

    @state.setter
    def state(self, state: str) -> None:
        self._state = state
        # read on every order, so kept as a plain attribute beside the state
        self.can_serve = state == "active" or state == "warned"


@dataclass(slots=True)
class Order:
    """An order in progress: what was settled when it was placed (MODEL.md 4, 5.1)."""

    customer: Customer
    price: float
    surge: bool
    #: Placed in a peak hour (surge-priced when surge pricing is on).
    peak: bool
    counted: bool
    #: The kind (encounter or not) of a glitch that let the order be served, if it had one.
    glitch_kind: bool | None
    #: The order's draws for a provider's fault and an outside event, taken when it was placed.
    draws: tuple[float, float]
    #: The provider serving it, once one has been found.
    provider: Provider | None = None
