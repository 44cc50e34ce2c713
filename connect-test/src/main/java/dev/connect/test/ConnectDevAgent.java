package dev.connect.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a Spring test class ({@code @SpringBootTest} and the like): starts a dev agent on a free port for the test's
 * application context, sets {@code connect.agent.url} to it before the context starts, offers it as a
 * {@link TestMesh} bean (autowire it to write intentions or call the app as another service), and stops it when the
 * context closes. Test classes with the same configuration share the cached context and its agent.
 * <pre>
 * &#64;SpringBootTest(webEnvironment = RANDOM_PORT)
 * &#64;ConnectDevAgent
 * class CountingTests {
 *     &#64;Autowired TestMesh mesh;
 *     &#64;LocalServerPort int port;
 *
 *     &#64;Test
 *     void dashboardMayCount() {
 *         mesh.allow("dashboard", "counting");
 *         assertThat(mesh.caller("dashboard").get("counting", port, "/count").status()).isEqualTo(200);
 *     }
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface ConnectDevAgent {

	/**
	 * The decision when no intention matches: {@code deny} (the default, as Consul with ACLs on) or {@code allow}.
	 * @return the default intention policy
	 */
	String defaultIntentionPolicy() default "deny";

}
