import java.io.File;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;

/**
 * Validates XML files against an XSD with the JDK's own validator (no dependency): `java XsdValidate.java
 * schema.xsd file.xml...`. Prints `valid <file>` or `invalid <file>: <line>:<column> <message>` per file and
 * exits 1 when one is invalid. Run in source-file mode (Java 11+); the project already needs Java 17.
 */
public class XsdValidate {
  public static void main(String[] args) throws Exception {
    var factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    var validator = factory.newSchema(new File(args[0])).newValidator();
    int invalid = 0;
    for (int i = 1; i < args.length; i++) {
      try {
        validator.validate(new StreamSource(new File(args[i])));
        System.out.println("valid " + args[i]);
      } catch (org.xml.sax.SAXParseException e) {
        invalid++;
        System.out.println("invalid " + args[i] + ": " + e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
      }
    }
    System.exit(invalid > 0 ? 1 : 0);
  }
}
