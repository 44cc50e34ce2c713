package dev.connect.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SpreadTests {

	@Test
	void medianOfAnOddNumberOfRunsIsTheMiddleOne() {
		Spread spread = Spread.of(3, 1, 2);
		assertThat(spread.median()).isEqualTo(2);
		assertThat(spread.min()).isEqualTo(1);
		assertThat(spread.max()).isEqualTo(3);
		assertThat(spread.runs()).containsExactly(3, 1, 2);
	}

	@Test
	void medianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
		assertThat(Spread.of(4, 1, 3, 2).median()).isEqualTo(2.5);
	}

	@Test
	void ratiosPairRunByRun() {
		Spread ratio = Spread.of(30, 20, 40).over(Spread.of(40, 40, 50));
		assertThat(ratio.runs()).containsExactly(0.75, 0.5, 0.8);
		assertThat(ratio.median()).isEqualTo(0.75);
	}

	@Test
	void differencesPairRunByRun() {
		Spread added = Spread.of(3.0, 1.5, 2.0).minus(Spread.of(1.0, 2.0, 0.5));
		assertThat(added.runs()).containsExactly(2.0, -0.5, 1.5);
		assertThat(added.median()).isEqualTo(1.5);
	}

	@Test
	void runsThatDoNotPairUpAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> Spread.of(1, 2).over(Spread.of(1, 2, 3)))
			.withMessage("Runs must pair up: 2 against a baseline of 3");
		assertThatIllegalArgumentException().isThrownBy(() -> Spread.of(1, 2).minus(Spread.of(1)))
			.withMessage("Runs must pair up: 2 against a baseline of 1");
	}

	@Test
	void aSpreadNeedsARun() {
		assertThatIllegalArgumentException().isThrownBy(Spread::of).withMessage("A spread needs at least one run");
	}

	@Test
	void formatShowsTheMedianInBoldAndTheRange() {
		assertThat(Spread.of(0.5, 0.25, 1).format("%.2f")).isEqualTo("**0.50** (0.25 – 1.00)");
		assertThat(Spread.of(1234).format("%,.0f")).isEqualTo("**1,234**");
	}

}
