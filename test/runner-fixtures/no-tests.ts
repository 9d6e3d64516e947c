// Loads tap but runs no test: tap prints nothing at all.
import "tap";
