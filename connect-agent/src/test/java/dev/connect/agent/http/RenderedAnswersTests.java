package dev.connect.agent.http;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RenderedAnswersTests {

	private final RenderedAnswers answers = new RenderedAnswers();

	private final AtomicInteger renders = new AtomicInteger();

	@Test
	void anAnswerIsRenderedOncePerQueryAndIndex() {
		byte[] first = this.answers.render("health:web", 7, this::answer);
		byte[] second = this.answers.render("health:web", 7, this::answer);
		assertThat(second).isSameAs(first);
		assertThat(this.renders).hasValue(1);
	}

	@Test
	void whenTheIndexMovesThenTheAnswerIsRenderedAgain() {
		this.answers.render("health:web", 7, this::answer);
		byte[] moved = this.answers.render("health:web", 8, this::answer);
		assertThat(new String(moved)).contains("2");
		assertThat(this.renders).hasValue(2);
	}

	@Test
	void whenFullThenAnAnswerManyAskForStays() {
		byte[] shared = this.answers.render("health:web", 7, this::answer);
		for (int i = 0; i < RenderedAnswers.MAX_ENTRIES * 2; i++) {
			this.answers.render("health:web", 7, this::answer);
			this.answers.render("health:other-" + i, 1, this::answer);
		}
		int before = this.renders.get();
		assertThat(this.answers.render("health:web", 7, this::answer)).isSameAs(shared);
		assertThat(this.renders).hasValue(before);
	}

	private Object answer() {
		return List.of(this.renders.incrementAndGet());
	}

}
