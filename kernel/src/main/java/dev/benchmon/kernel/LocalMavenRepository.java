package dev.benchmon.kernel;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code groupId:artifactId[:packaging[:classifier]]:version} to jars in a local Maven
 * repository ({@code ~/.m2/repository} unless {@code maven.repo.local} says otherwise), with the
 * artifact's compile and runtime dependencies read from the POMs (parent POMs for properties and
 * managed versions). No network: what is missing is named, with the Maven command that fetches it.
 */
final class LocalMavenRepository {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private final Path root;

    LocalMavenRepository(Path root) {
        this.root = root;
    }

    /** The repository Maven itself uses on this machine. */
    static LocalMavenRepository standard() {
        String configured = System.getProperty("maven.repo.local");
        return new LocalMavenRepository(configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository"));
    }

    /** The jars of {@code coordinates} and their transitive compile/runtime dependencies, the artifact's first. */
    List<Path> resolve(String coordinates) {
        String[] p = coordinates.trim().split(":");
        if (p.length < 3 || p.length > 5) {
            throw new IllegalArgumentException("'" + coordinates
                    + "' is not groupId:artifactId[:packaging[:classifier]]:version");
        }
        String classifier = p.length == 5 ? p[3] : null;
        Set<Path> jars = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        collect(p[0], p[1], p[p.length - 1], classifier, jars, missing, new LinkedHashSet<>(), 0);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not in the local Maven repository " + root + ": " + String.join(", ", missing)
                    + " (fetch with: mvn dependency:get -Dartifact=" + coordinates.trim() + ")");
        }
        return new ArrayList<>(jars);
    }

    private void collect(String g, String a, String v, String classifier, Set<Path> jars, List<String> missing,
                         Set<String> seen, int depth) {
        if (!seen.add(g + ":" + a) || depth > 30) {
            return;
        }
        Path dir = root.resolve(g.replace('.', '/')).resolve(a).resolve(v);
        Path jar = dir.resolve(a + "-" + v + (classifier == null ? "" : "-" + classifier) + ".jar");
        Path pom = dir.resolve(a + "-" + v + ".pom");
        if (Files.isRegularFile(jar)) {
            jars.add(jar);
        } else if (!Files.isRegularFile(pom) || !"pom".equals(packaging(pom))) {
            missing.add(g + ":" + a + ":" + v);
            return;
        }
        if (!Files.isRegularFile(pom)) {
            return;
        }
        Model model = model(pom, 0);
        for (Dep d : model.dependencies) {
            String scope = d.scope == null ? "compile" : d.scope;
            if (d.optional || !(scope.equals("compile") || scope.equals("runtime"))) {
                continue;
            }
            String version = d.version != null ? d.version : model.managed.get(d.group + ":" + d.artifact);
            if (version == null || version.contains("${") || version.startsWith("[") || version.startsWith("(")) {
                missing.add(d.group + ":" + d.artifact + " (version not resolvable from the POM)");
                continue;
            }
            collect(d.group, d.artifact, version, d.classifier, jars, missing, seen, depth + 1);
        }
    }

    private record Dep(String group, String artifact, String version, String scope, String classifier, boolean optional) {
    }

    private static final class Model {
        final Map<String, String> properties = new HashMap<>();
        final Map<String, String> managed = new HashMap<>();
        final List<Dep> dependencies = new ArrayList<>();
    }

    private String packaging(Path pom) {
        try {
            String p = text(parse(pom).getDocumentElement(), "packaging");
            return p == null ? "jar" : p;
        } catch (Exception e) {
            return "jar";
        }
    }

    private Model model(Path pom, int depth) {
        Model model = new Model();
        Element project;
        try {
            project = parse(pom).getDocumentElement();
        } catch (Exception e) {
            return model;
        }
        Element parent = child(project, "parent");
        if (parent != null && depth < 10) {
            String pg = text(parent, "groupId"), pa = text(parent, "artifactId"), pv = text(parent, "version");
            Path parentPom = root.resolve(pg.replace('.', '/')).resolve(pa).resolve(pv).resolve(pa + "-" + pv + ".pom");
            if (Files.isRegularFile(parentPom)) {
                Model inherited = model(parentPom, depth + 1);
                model.properties.putAll(inherited.properties);
                model.managed.putAll(inherited.managed);
            }
            model.properties.putIfAbsent("project.parent.version", pv);
        }
        String group = text(project, "groupId") != null ? text(project, "groupId") : parent == null ? null : text(parent, "groupId");
        String version = text(project, "version") != null ? text(project, "version") : parent == null ? null : text(parent, "version");
        if (group != null) {
            model.properties.put("project.groupId", group);
            model.properties.put("pom.groupId", group);
        }
        if (version != null) {
            model.properties.put("project.version", version);
            model.properties.put("pom.version", version);
        }
        Element props = child(project, "properties");
        if (props != null) {
            for (Element e : children(props)) {
                model.properties.put(e.getTagName(), e.getTextContent().trim());
            }
        }
        Element management = child(project, "dependencyManagement");
        if (management != null && child(management, "dependencies") != null) {
            for (Element d : children(child(management, "dependencies"))) {
                String v = interpolate(text(d, "version"), model.properties);
                model.managed.put(interpolate(text(d, "groupId"), model.properties) + ":" + text(d, "artifactId"), v);
            }
        }
        Element deps = child(project, "dependencies");
        if (deps != null) {
            for (Element d : children(deps)) {
                model.dependencies.add(new Dep(interpolate(text(d, "groupId"), model.properties),
                        interpolate(text(d, "artifactId"), model.properties),
                        interpolate(text(d, "version"), model.properties), text(d, "scope"),
                        text(d, "classifier"), "true".equals(text(d, "optional"))));
            }
        }
        return model;
    }

    private static String interpolate(String value, Map<String, String> properties) {
        if (value == null) {
            return null;
        }
        String v = value;
        for (int i = 0; i < 10 && v.contains("${"); i++) {
            Matcher m = PROPERTY.matcher(v);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(properties.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(out);
            if (out.toString().equals(v)) {
                break;
            }
            v = out.toString();
        }
        return v;
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(pom.toFile());
    }

    private static Element child(Element parent, String name) {
        for (Element e : children(parent)) {
            if (e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }

}
