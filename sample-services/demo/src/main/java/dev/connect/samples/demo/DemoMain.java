package dev.connect.samples.demo;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar sample-services/demo/target/connect-demo.jar [--interactive]}: runs the {@link Demo} and exits
 * 0 when every step passed, 1 naming the step that failed. {@code --interactive} keeps everything running with the
 * intentions allowing dashboard → counting, dashboard → greeting and greeting → counting, and prints the URLs and commands to try.
 * <p>
 * The sidecar steps start {@code connect-proxy.jar} from the directory of the demo's jar (the build copies it there)
 * and {@code python3} from the {@code PATH}. The child processes stop with the demo, also on Ctrl+C.
 */
public final class DemoMain {

	private DemoMain() {
	}

	public static void main(String[] args) throws Exception {
		boolean interactive = false;
		for (String arg : args) {
			if (arg.equals("--interactive")) {
				interactive = true;
			}
			else {
				System.err.println("Unknown argument '" + arg + "': the only option is --interactive");
				System.exit(2);
			}
		}
		Demo demo = new Demo(System.out, besideTheDemo("connect-proxy.jar"));
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			demo.close();
			stopped.countDown();
		}, "demo-shutdown"));
		if (interactive) {
			demo.start();
			demo.printHowToPlay();
			stopped.await();
			return;
		}
		int exit;
		try {
			demo.start();
			List<Demo.StepResult> results = demo.walkThrough();
			exit = summary(results);
		}
		finally {
			demo.close();
		}
		System.exit(exit);
	}

	/** A file in the directory of the demo's jar (or beside its classes directory when run from classes). */
	private static Path besideTheDemo(String file) {
		String first = System.getProperty("java.class.path").split(File.pathSeparator)[0];
		return Path.of(first).toAbsolutePath().getParent().resolve(file);
	}

	private static int summary(List<Demo.StepResult> results) {
		System.out.println("Summary");
		for (Demo.StepResult result : results) {
			System.out.println("  " + (result.passed() ? "ok      " : "FAILED  ") + result.number() + ". " + result.name());
		}
		Demo.StepResult last = results.get(results.size() - 1);
		if (!last.passed()) {
			System.out.println("The demo failed at step " + last.number() + " (" + last.name() + "): " + last.evidence());
			return 1;
		}
		System.out.println("Every step passed: identities from the agent's CA, mutual TLS, intentions enforced, "
				+ "instances followed, a root rotated without a restart, a Python app in the mesh through a sidecar, "
				+ "a Spring MVC app calling with a RestClient.");
		return 0;
	}

}
