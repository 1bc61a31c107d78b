package dev.llmfault.junit.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * An annotation found on a test, with where it was declared ("method FooTest#bar()", "class FooTest via
 * &#64;FlakyOpenAi"), so configuration errors can name the place.
 *
 * <p>This reader is the one place that decides where declarations come from: the test class's hierarchy
 * (superclasses first), the enclosing classes of {@code @Nested} classes (outermost first), then the method,
 * each with its composed (meta) annotations. Scenarios use it today; policy annotations will use it the same way.
 */
public record Declared<A extends Annotation>(A annotation, String origin) {

    /** Every {@code type} annotation declared for a test: its classes first, then the method. */
    public static <A extends Annotation, C extends Annotation> List<Declared<A>> forTest(
            Class<?> testClass, Method method, Class<A> type, Class<C> container, Function<C, A[]> unpack) {
        List<Declared<A>> out = new ArrayList<>();
        for (Class<?> c : classChain(testClass)) {
            collect(c, "class " + c.getSimpleName(), type, container, unpack, out);
        }
        if (method != null) {
            collect(method, "method " + describe(method), type, container, unpack, out);
        }
        return out;
    }

    /** Every {@code type} annotation (not repeatable) declared for a test: its classes first, then the method. */
    public static <A extends Annotation> List<Declared<A>> forTest(Class<?> testClass, Method method, Class<A> type) {
        // the type itself as "container": an instance always matches as the type first, so unpack never runs
        return forTest(testClass, method, type, type, a -> {
            throw new AssertionError("unreachable");
        });
    }

    /** Superclasses before subclasses; for an inner ({@code @Nested}) class its enclosing classes before it. */
    public static List<Class<?>> classChain(Class<?> testClass) {
        List<Class<?>> chain = new ArrayList<>();
        Class<?> enclosing = testClass.getEnclosingClass();
        if (enclosing != null && !Modifier.isStatic(testClass.getModifiers())) {
            chain.addAll(classChain(enclosing));
        }
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        chain.addAll(hierarchy);
        return chain;
    }

    public static String describe(Method method) {
        return method.getDeclaringClass().getSimpleName() + "#" + method.getName() + "()";
    }

    private static <A extends Annotation, C extends Annotation> void collect(AnnotatedElement element, String where,
            Class<A> type, Class<C> container, Function<C, A[]> unpack, List<Declared<A>> out) {
        walk(element.getDeclaredAnnotations(), where, type, container, unpack, out, new HashSet<>());
    }

    private static <A extends Annotation, C extends Annotation> void walk(Annotation[] annotations, String where,
            Class<A> type, Class<C> container, Function<C, A[]> unpack, List<Declared<A>> out, Set<Class<?>> seen) {
        for (Annotation a : annotations) {
            if (type.isInstance(a)) {
                out.add(new Declared<>(type.cast(a), where));
            } else if (container.isInstance(a)) {
                for (A each : unpack.apply(container.cast(a))) {
                    out.add(new Declared<>(each, where));
                }
            } else if (!a.annotationType().getName().startsWith("java.") && seen.add(a.annotationType())) {
                // a composed annotation such as @FlakyOpenAi: its own annotations count as declared here
                walk(a.annotationType().getDeclaredAnnotations(), where + " via @" + a.annotationType().getSimpleName(),
                        type, container, unpack, out, seen);
            }
        }
    }
}
