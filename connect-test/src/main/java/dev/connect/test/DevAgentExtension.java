package dev.connect.test;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: one dev agent per test class, on a free port, stopped after the class. Test methods and constructors get
 * it as a {@link TestMesh} parameter. Register it with {@code @ExtendWith(DevAgentExtension.class)} or as a field:
 * <pre>
 * &#64;RegisterExtension
 * static DevAgentExtension agent = new DevAgentExtension();
 * </pre>
 * For a Spring Boot test, use {@link ConnectDevAgent} instead: it also points the application at the agent.
 */
public final class DevAgentExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

	private @Nullable TestMesh mesh;

	@Override
	public void beforeAll(ExtensionContext context) {
		this.mesh = TestMesh.start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		TestMesh running = this.mesh;
		if (running != null) {
			running.close();
			this.mesh = null;
		}
	}

	/**
	 * Returns the running mesh.
	 * @return the mesh of the current test class
	 * @throws IllegalStateException outside a test class's lifetime
	 */
	public TestMesh mesh() {
		TestMesh running = this.mesh;
		if (running == null) {
			throw new IllegalStateException("The dev agent runs from beforeAll to afterAll of the test class; register "
					+ "the extension on a static field or with @ExtendWith");
		}
		return running;
	}

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		return parameter.getParameter().getType() == TestMesh.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		return mesh();
	}

}
